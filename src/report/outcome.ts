import type { StepResult } from '../probes/results.js';
import type { TeardownReport } from '../session/session.js';

/** Everything a run produced: what the reports and the exit code are made from. */
export interface RunOutcome {
  ok: boolean;
  /** Blender started and the addon became ready */
  ready: boolean;
  /** one sentence: why the run failed */
  failure: string | undefined;
  /** every problem, one per line, and the log tail when Blender misbehaved */
  details: string | undefined;
  blenderVersion: string | undefined;
  results: StepResult[];
  teardown: TeardownReport | undefined;
  logPath: string | undefined;
}

/** An outcome for a run that failed before Blender was launched (bad input). */
export function outcomeBeforeLaunch(failure: string, details?: string): RunOutcome {
  return { ok: false, ready: false, failure, details, blenderVersion: undefined, results: [], teardown: undefined, logPath: undefined };
}
