import type { AddonHealth } from '../addon-health/health.js';
import type { FileTime } from '../addon-tests/run.js';
import type { ParallelUnsafeFile } from '../addon-tests/workers.js';
import type { ShardRecord } from '../shards/plan.js';
import type { BesideReport } from '../companion/beside-blender.js';
import type { McpSessionRecord } from '../probes/mcp-file.js';
import type { SnapshotRecord } from '../snapshots/snapshot-check.js';
import type { SourceLocation } from '../errors.js';
import type { NotRunStep, StepResult } from '../probes/results.js';
import type { CoverageSummary } from '../coverage/model.js';
import type { Deprecation } from '../session/deprecations.js';
import type { TeardownReport } from '../session/session.js';
import type { UiReport } from '../ui-check/ui-report.js';

/** Everything a run produced: what the reports and the exit code are made from. */
export interface RunOutcome {
  ok: boolean;
  /** Blender started and the add-on became ready */
  ready: boolean;
  /** one sentence: why the run failed */
  failure: string | undefined;
  /** the line of the user's file the failure is on (a manifest key), for an annotation there */
  failureAt: SourceLocation | undefined;
  /** one sentence: why nothing ran (incompatible-blender: skip); the run passes */
  skipped: string | undefined;
  /** every problem, one per line, and the log tail when Blender misbehaved */
  details: string | undefined;
  blenderVersion: string | undefined;
  results: StepResult[];
  /** steps never reached: Blender ended, or the run was cancelled */
  notRun: NotRunStep[];
  cancelled: boolean;
  teardown: TeardownReport | undefined;
  logPath: string | undefined;
  /** deprecations the add-on's lines raised and Blender's notices, files as the user's */
  deprecations: Deprecation[];
  /** what ran, for the result file: the add-on as Blender enabled it, and the Blender */
  addonModule: string | undefined;
  blenderExecutable: string | undefined;
  /** spawn → ready */
  readyMs: number | undefined;
  /** the coverage input: the add-on's files, measured */
  coverage: CoverageSummary | undefined;
  /** the add-on's own health (its background errors, what unregister() left, reload-check, memory); undefined when Blender never started */
  health: AddonHealth | undefined;
  /** test files that failed beside others on test workers and passed alone */
  parallelUnsafe: ParallelUnsafeFile[];
  /** each test file's time as measured: what the next run's shard plan weighs it by */
  fileTimes: FileTime[];
  /** the tests phase, wall time (a shard's time, for the report's balance) */
  testsMs: number | undefined;
  /** this job's shard of the test files (shard: i/n) */
  shard: ShardRecord | undefined;
  /** each probe file's MCP session: the server, its protocol and capabilities, what it sent */
  mcpSessions: McpSessionRecord[];
  /** the companion and the stdio MCP servers, once stopped */
  beside: BesideReport | undefined;
  /** each render step's comparison (the images written under snapshot-results when it failed) */
  snapshots: SnapshotRecord[];
  /** the add-on's UI, drawn in a Blender with a window (undefined: not drawn) */
  ui: UiReport | undefined;
}

const NOTHING_RAN = {
  ready: false,
  failureAt: undefined,
  skipped: undefined,
  details: undefined,
  blenderVersion: undefined,
  results: [],
  notRun: [],
  cancelled: false,
  teardown: undefined,
  logPath: undefined,
  deprecations: [],
  addonModule: undefined,
  blenderExecutable: undefined,
  readyMs: undefined,
  coverage: undefined,
  health: undefined,
  parallelUnsafe: [],
  fileTimes: [],
  testsMs: undefined,
  shard: undefined,
  mcpSessions: [],
  beside: undefined,
  snapshots: [],
  ui: undefined,
};

/** An outcome for a run that failed before Blender was launched (bad input). */
export function outcomeBeforeLaunch(failure: string, details?: string, failureAt?: SourceLocation): RunOutcome {
  return { ...NOTHING_RAN, ok: false, failure, details, failureAt };
}

/** A run with nothing to test on this Blender, by the user's choice: it passes, marked skipped. */
export function skippedOutcome(reason: string, blenderVersion: string | undefined): RunOutcome {
  return { ...NOTHING_RAN, ok: true, failure: undefined, skipped: reason, blenderVersion };
}

/** A run that ended its own way (--watch: the last run's results, the teardown), the rest left empty. */
export function finishedOutcome(fields: Partial<RunOutcome> & Pick<RunOutcome, 'ok' | 'failure'>): RunOutcome {
  return { ...NOTHING_RAN, ...fields };
}

/** mode: versions runs no Blender: the resolved list is the whole result. */
export function versionsOutcome(): RunOutcome {
  return { ...NOTHING_RAN, ok: true, failure: undefined };
}
