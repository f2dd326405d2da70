/**
 * A step that failed for a reason of its own, not its transport's: it says whether another
 * attempt could pass (a retry policy tries again) or not (a template with no value, a render
 * Blender refuses: the retries stop), and what to show beside it (a Python traceback).
 */
export class StepError extends Error {
  override readonly name: string = 'StepError';

  constructor(
    message: string,
    /** another attempt may pass */
    readonly retry: boolean,
    /** shown under the failure (a traceback) */
    readonly details?: string,
  ) {
    super(message);
  }
}
