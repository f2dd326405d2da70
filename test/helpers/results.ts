import type { StepResult } from '../../src/probes/results.js';
import type { RunOutcome } from '../../src/report/outcome.js';
import type { TeardownReport } from '../../src/session/session.js';

/** A teardown with nothing wrong: graceful, exit 0, nothing left behind. */
export const CLEAN_TEARDOWN: TeardownReport = {
  kind: 'graceful',
  record: { stopping: 'SIGTERM', clean: true, descendants: [] },
  exit: { exitCode: 0, signal: undefined, spawnError: undefined },
  durationMs: 80,
  leftovers: [],
  unkillable: [],
  crashReport: undefined,
};

/** A step result; a failed one carries a mismatch and a raw reply like the runner's. */
export function stepResult(file: string, name: string, passed: boolean, line = 3, extra: Partial<StepResult> = {}): StepResult {
  return {
    file,
    fileName: file.replace(/.*\//, ''),
    step: name,
    line,
    kind: 'send',
    passed,
    durationMs: 12,
    attempts: 1,
    ...(passed
      ? {}
      : { failure: `$.a: expected 1, got 2 <&"'>`, mismatch: { path: '$.a', expected: 1, actual: 2, reason: 'expected 1, got 2' }, reply: '{"a":2}' }),
    ...extra,
  };
}

/** A finished run's outcome with these results (ok when all passed), a clean teardown, and `extra`. */
export function outcomeOf(results: StepResult[], extra: Partial<RunOutcome> = {}): RunOutcome {
  return {
    ok: results.every((r) => r.passed),
    ready: true,
    failure: undefined,
    failureAt: undefined,
    skipped: undefined,
    details: undefined,
    blenderVersion: '3.4.1',
    results,
    notRun: [],
    cancelled: false,
    teardown: CLEAN_TEARDOWN,
    logPath: '/tmp/x.log',
    deprecations: [],
    addonModule: 'my_addon',
    blenderExecutable: '/usr/bin/blender',
    readyMs: 900,
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
    ...extra,
  };
}
