import path from 'node:path';
import { userPaths } from '../addon/source-map.js';
import type { StagedAddon } from '../addon/staged-addon.js';
import { displayPath } from '../display-path.js';
import { UserError } from '../errors.js';
import type { StepResult } from '../probes/results.js';
import { exitedWithin } from '../session/launch.js';
import type { Session } from '../session/session.js';
import { type TestIsolation, type TestRunner, runUnitTests } from './run.js';
import { type TestScript, splitTestScript } from './test-script.js';
import type { SnapshotOutcome, SnapshotSetting } from '../snapshots/snapshot-check.js';
import type { TestWorkerSession } from './worker-sessions.js';
import { type WorkersOutcome, runFilesOnWorkers } from './workers.js';

export interface TestsPhase {
  files: string[];
  runner: TestRunner;
  /** test-timeout: how long one test may run; undefined: no limit */
  timeoutMs: number | undefined;
  /** the run's own session (ready), which runs the probes afterwards */
  main: Session;
  /** its staged add-on (each worker has a copy of its own) */
  addon: StagedAddon;
  /** the other workers, started, maybe not ready yet */
  workers: TestWorkerSession[];
  signal: AbortSignal | undefined;
  onResult: (result: StepResult) => void;
  /** each test file starts with the add-on installed, not enabled (addon-state-in-tests) */
  installedOnly: boolean;
  /** folders on sys.path while the tests run (a suite that imports the add-on by its folder's name) */
  importPaths: string[];
  /** test-isolation: when a test file starts from the startup scene */
  isolation: TestIsolation;
  /** the suite's own runner script (test-script), one of `files` */
  script: TestScript | undefined;
  /** files an earlier run found not parallel-safe (as reports name them): run alone, after the others */
  knownUnsafe: ReadonlySet<string>;
  /** a warning about the suite, once (every worker runs the same configuration) */
  onWarning?: (message: string) => void;
  /** how assert_matches_snapshot's renders are compared */
  snapshots?: SnapshotSetting;
  onSnapshot?: (outcome: SnapshotOutcome) => void;
}

export interface TestsPhaseOutcome extends WorkersOutcome {
  /** the run's own session hung or ended: no probe can run now */
  mainLost: boolean;
  /** a worker that did not become ready, or could not run tests: one sentence each */
  workerProblems: string[];
}

/**
 * The add-on's own tests, on the run's session and the other workers: each worker, once
 * ready, takes files from the shared queue. With several workers, each failure says which
 * worker's Blender log to read.
 */
export async function runTestsPhase(phase: TestsPhase): Promise<TestsPhaseOutcome> {
  const workerProblems: string[] = [];
  const others = await Promise.all(
    phase.workers.map((worker) =>
      worker.session.ready(phase.signal).then(
        () => worker,
        (error: unknown) => {
          if (!(error instanceof UserError)) throw error;
          workerProblems.push(`Test worker ${worker.number} did not start, so it ran no test: ${error.message}`);
          return undefined;
        },
      ),
    ),
  );
  const sessions = [{ number: 1, session: phase.main, addon: phase.addon }, ...others.filter((w) => w !== undefined)];
  const warned = new Set<string>();
  const warnOnce = (message: string) => {
    if (!warned.has(message)) phase.onWarning?.(message);
    warned.add(message);
  };
  const several = sessions.length > 1;
  const cwd = process.cwd();
  const outcome = await runFilesOnWorkers(
    phase.files,
    sessions,
    async ({ number, session, addon }, files) => {
      const control = session.control;
      if (!control) throw new UserError("The 'tests' input needs the driver's control channel, which Blender opens only in background mode.");
      const results: StepResult[] = [];
      const paths = userPaths([addon], cwd);
      const batch = splitTestScript(files, phase.script, cwd);
      const run = await runUnitTests(
        {
          files: batch.files,
          script: batch.script,
          isolation: phase.isolation,
          runner: phase.runner,
          timeoutMs: phase.timeoutMs,
          signal: phase.signal,
          onWarning: warnOnce,
          installedOnly: phase.installedOnly,
          importPaths: phase.importPaths,
          snapshots: phase.snapshots,
          onSnapshot: phase.onSnapshot,
          control,
          serverEnded: (graceMs) => exitedWithin(session.blender, graceMs),
          shownAs: (file: string) => paths.file(file),
        },
        (result) => {
          const tagged =
            several && !result.passed
              ? { ...result, details: [result.details, `Blender log (test worker ${number}): ${session.log.path}`].filter(Boolean).join('\n') }
              : result;
          results.push(tagged);
          // One worker: shown as they come. Several: once the file is settled (a file that
          // failed beside others runs again alone first, and only its final results count).
          if (!several) phase.onResult(tagged);
        },
      );
      return { ...run, results };
    },
    (file) => displayPath(path.resolve(file), cwd),
    (settled) => {
      if (several) for (const result of settled.results) phase.onResult(result);
    },
    phase.knownUnsafe,
  );
  return { ...outcome, mainLost: outcome.lost.includes(0), workerProblems };
}
