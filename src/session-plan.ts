import type { TestsPhase } from './addon-tests/phase.js';
import type { SuiteShape } from './addon-tests/suite-shape.js';
import { sourceFileOf, userPaths } from './addon/source-map.js';
import type { StagedAddon } from './addon/staged-addon.js';
import type { Capabilities } from './blender/capabilities.js';
import type { ResolvedConfig, RunConfig } from './inputs/config.js';
import type { ProbeContext } from './probes/probe-context.js';
import type { ProbeSuite } from './probes/suite.js';
import type { BlenderControl } from './probes/transports/blender.js';
import type { RunOutcome } from './report/outcome.js';
import type { Reporter } from './report/reporter.js';
import type { ReadyInfo } from './session/driver-protocol.js';
import { exitedWithin } from './session/launch.js';
import type { RunDir } from './session/run-dir.js';
import type { PreparedBlender, Session, SessionOptions } from './session/session.js';
import type { ShardRecord } from './shards/plan.js';
import type { SnapshotRecord } from './snapshots/snapshot-check.js';
import type { UiCheckPlan } from './ui-check/plan.js';
import type { UiCheck } from './ui-check/ui-check.js';

/*
 * What the pipeline has prepared before Blender starts (the SessionPlan), and how each part of
 * a session is derived from it: Blender's start options, the tests phase, the probes' context,
 * render snapshots, the UI check's Blender. The run's session (main.ts) and the watch's
 * (watch/) both start from it; neither imports the other.
 */

/** What runs Blender once everything is prepared: the run's session (runSession), or the watch's (src/watch/). */
export type SessionRunner = (plan: SessionPlan, reporter: Reporter, signal: AbortSignal | undefined) => Promise<RunOutcome>;

/** What the pipeline prepared before Blender starts: the Blender (PreparedBlender), the work, the checks. */
export interface SessionPlan extends PreparedBlender {
  config: ResolvedConfig;
  suite: ProbeSuite;
  /** the add-on's own Python test files, run inside the session before the probes */
  testFiles: string[];
  /** what this Blender version can do: the test workers' environments need it */
  capabilities: Capabilities;
  /** whether and where the add-on's UI is drawn after the session */
  ui: UiCheckPlan;
  /** this job's share of a sharded run, for the result file (undefined: not sharded) */
  shard: ShardRecord | undefined;
  /** test files earlier runs found not parallel-safe (shard-durations), as reports name them: run alone on test workers */
  knownParallelUnsafe: ReadonlySet<string>;
}

/** The tests phase of a plan: `files` on the session (and the workers), as the suite's shape has the add-on. */
export function testsPhaseOf(
  plan: SessionPlan,
  shape: SuiteShape,
  run: Pick<TestsPhase, 'files' | 'main' | 'workers' | 'signal' | 'onResult' | 'onWarning' | 'snapshots' | 'onSnapshot'>,
): TestsPhase {
  const { config, addon } = plan;
  return {
    ...run,
    runner: config.testRunner,
    timeoutMs: config.testTimeoutMs,
    installedOnly: shape.installedOnly,
    importPaths: shape.importPaths,
    isolation: config.testIsolation,
    script: config.testScript,
    knownUnsafe: plan.knownParallelUnsafe,
    addon,
  };
}

/** How probe steps reach the session: the add-on's port, its control channel, whether Blender ended. */
export function probeContextOf(config: RunConfig, session: Session, control: BlenderControl | undefined): ProbeContext {
  const serverEnded = (graceMs: number) => exitedWithin(session.blender, graceMs);
  return { host: config.host, port: config.port, timeoutMs: config.probeTimeoutMs, maxReplyBytes: config.maxReplyBytes, control, serverEnded };
}

/** How render steps compare their images, and where what they write is told. */
export function snapshotContextOf(
  config: RunConfig,
  runDir: RunDir,
  blenderVersion: string,
  reporter: Reporter,
  onRecord: (record: SnapshotRecord) => void,
): Pick<ProbeContext, 'snapshots' | 'onSnapshot'> {
  return {
    snapshots: {
      update: config.updateSnapshots,
      resultsDir: config.snapshotResults ?? runDir.snapshotResults,
      blenderVersion,
      cwd: process.cwd(),
      renderDir: runDir.tmp,
    },
    onSnapshot: (outcome) => {
      onRecord(outcome.record);
      if (outcome.note) reporter.info(outcome.note);
    },
  };
}

/** The UI check's Blender: the session's profile, environment and flags; the ui- inputs. */
export function uiCheckOptions(plan: SessionPlan, ui: Extract<UiCheckPlan, { draw: true }>): Parameters<typeof UiCheck.begin>[0] {
  const { config } = plan;
  return {
    plan: ui,
    installation: plan.installation,
    addon: plan.addon,
    runDir: plan.runDir,
    environment: plan.environment,
    flags: plan.flags,
    pythonPaths: plan.pythonPaths,
    setup: config.uiSetup,
    reloadCycles: config.reloadCheck,
    resultsDir: config.uiResults ?? plan.runDir.uiResults,
    startupTimeoutMs: config.startupTimeoutMs,
    drawTimeoutMs: config.probeTimeoutMs,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
  };
}

/** How the plan's Blender is started: the add-on, its profile, the inputs; its output echoed with the user's paths. */
export function sessionOptions(plan: SessionPlan, reporter: Reporter, onLine: (line: string) => void = () => {}): SessionOptions {
  const { config, installation, addon, runDir } = plan;
  const paths = userPaths([addon]);
  return {
    installation,
    addon,
    runDir,
    startup: config.startup,
    pump: config.pump,
    pumpIntervalMs: config.pumpIntervalMs,
    pumpWake: config.pumpWake,
    environment: plan.environment,
    flags: plan.flags,
    pythonPaths: plan.pythonPaths,
    coverage: config.coverage,
    unregisterCheck: config.unregisterCheck === 'off' ? undefined : { graceMs: config.unregisterGraceMs },
    host: config.host,
    port: config.port,
    startupTimeoutMs: config.startupTimeoutMs,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    countUi: plan.ui.draw,
    onOutput: (line) => {
      reporter.blenderOutput(paths.text(line));
      onLine(line);
    },
  };
}

/** Where the add-on came from: the copy under test (the driver refuses any other), as the user's file. */
export function loadedFromSentence(ready: ReadyInfo, addon: StagedAddon): string {
  const source = ready.addonFile ? sourceFileOf(ready.addonFile, addon) : undefined;
  return source ? `${source} (the copy under test)` : (ready.addonFile ?? 'an unknown file');
}
