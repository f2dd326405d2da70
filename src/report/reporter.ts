import type { Installation } from '../blender/installation.js';
import type { StepResult } from '../probes/results.js';
import type { ReadyInfo } from '../session/driver-protocol.js';
import type { TeardownReport } from '../session/session.js';
import type { RunOutcome } from './outcome.js';

/** What the pipeline tells its audience as it goes: the job log, or a terminal. */
export interface Reporter {
  /** progress worth a line: provisioning steps */
  info(line: string): void;
  /** something the user should notice and may act on (the action: a warning annotation) */
  warning(line: string): void;
  provisioned(installation: Installation): void;
  /** mode: versions: the resolved matrix list */
  versions(versions: string[]): void;
  starting(executable: string, addonModule: string): void;
  blenderOutput(line: string): void;
  ready(info: ReadyInfo, elapsedMs: number): void;
  step(result: StepResult): void;
  stopping(): void;
  stopped(teardown: TeardownReport): void;
  /** summary, outputs: written whatever happened, even for a run that never launched */
  finished(outcome: RunOutcome): Promise<void>;
}
