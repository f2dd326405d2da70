import type { Installation } from '../blender/installation.js';
import type { SourceLocation } from '../errors.js';
import type { StepResult } from '../probes/results.js';
import type { ReadyInfo } from '../session/driver-protocol.js';
import type { TeardownReport } from '../session/session.js';
import type { MatrixReport } from './matrix.js';
import type { Progress } from '../progress.js';
import type { RunOutcome } from './outcome.js';

/** What the pipeline tells its audience as it goes: the job log, or a terminal. */
export interface Reporter {
  /** progress worth a line: provisioning steps */
  info(line: string): void;
  /** something the user should notice and may act on (the action: a warning annotation, on `at` when given) */
  warning(line: string, at?: SourceLocation): void;
  provisioned(installation: Installation): void;
  /** a long transfer's progress (a download): where this audience shows it, if anywhere */
  progress(label: string, total: number | undefined): Progress;
  /** mode: versions: the resolved matrix list */
  versions(versions: string[]): void;
  starting(executable: string, addonModule: string): void;
  blenderOutput(line: string): void;
  /** a line from a process the run started beside Blender: the companion, an MCP server over stdio */
  processOutput(source: string, line: string): void;
  /** `loadedFrom`: the user's file the add-on was loaded from (the copy under test, mapped back) */
  ready(info: ReadyInfo, elapsedMs: number, loadedFrom: string): void;
  step(result: StepResult): void;
  stopping(): void;
  stopped(teardown: TeardownReport): void;
  /** summary, outputs: written whatever happened, even for a run that never launched */
  finished(outcome: RunOutcome): Promise<void>;
  /** html-report: the page was written to `folder` (its index.html) */
  htmlReport(folder: string): void;
  /** mode: report: the table over the matrix (and why the report failed, when it did) */
  matrix(report: MatrixReport, failure: string | undefined): Promise<void>;
}
