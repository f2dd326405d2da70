/** Where in a user's file a problem is: annotations point there. */
export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
}

/**
 * A problem the user can fix (an input, a probe file, their addon, their Blender).
 * It is shown as one sentence, never with a stack trace; `details` (a log tail, a list of
 * every error in a file) is printed beneath it where the output has room.
 */
export class UserError extends Error {
  override readonly name = 'UserError';

  constructor(
    message: string,
    readonly details?: string,
    /** the line of the user's file the problem is on, when it is in one */
    readonly location?: SourceLocation,
  ) {
    super(message);
  }
}

/** The one line to show for any error: ours get their stack elsewhere, users' never do. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
