/**
 * What a long transfer tells as it goes (a Blender download): the phase that transfers calls
 * it, the reporter that shows it makes it (report/progress.ts), so the transfer never imports
 * how it is shown.
 */
export interface Progress {
  /** `done` bytes so far */
  update(done: number): void;
  /** the transfer ended (done or failed): a terminal's line is cleared */
  end(): void;
}

/** No progress shown (quiet, or no reporter). */
export const NO_PROGRESS: Progress = { update: () => {}, end: () => {} };
