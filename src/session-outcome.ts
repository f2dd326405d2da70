import { LOAD_ERROR_KINDS, addonErrorKey, addonErrorsOf, readAddonErrors } from './addon-health/errors.js';
import type { AddonHealth } from './addon-health/health.js';
import { type AddonLeftover, addonLeftoversOf, unownedLeftoversOf } from './addon-health/leftovers.js';
import { memoryFigures } from './addon-health/memory.js';
import type { ReloadCycle } from './addon-health/reload-check.js';
import { userPaths } from './addon/source-map.js';
import type { FileTime } from './addon-tests/run.js';
import type { ParallelUnsafeFile } from './addon-tests/workers.js';
import type { StagedAddon } from './addon/staged-addon.js';
import type { Installation } from './blender/installation.js';
import type { RunConfig } from './inputs/config.js';
import { collectCoverage } from './coverage/collect.js';
import type { UserError } from './errors.js';
import type { NotRunStep, StepResult } from './probes/results.js';
import { stepsNotRun } from './probes/run.js';
import type { ProbeSuite } from './probes/suite.js';
import type { RunOutcome } from './report/outcome.js';
import type { BesideReport } from './companion/beside-blender.js';
import { besideProblems } from './companion/problems.js';
import type { McpSessionRecord } from './probes/mcp-file.js';
import type { SnapshotRecord } from './snapshots/snapshot-check.js';
import { headline, judge } from './report/verdict.js';
import type { BlenderLog } from './session/blender-log.js';
import { BlenderNotices, mergeDeprecations, readDriverDeprecations } from './session/deprecations.js';
import type { ShardRecord } from './shards/plan.js';
import type { ReadyInfo, Usage } from './session/driver-protocol.js';
import type { RunDir } from './session/run-dir.js';
import type { TeardownReport } from './session/session.js';
import { type UiReport, uiProblems } from './ui-check/ui-report.js';

/** One Blender of the run (the run's own, or a test worker), once it has stopped. */
interface EndedSession {
  runDir: RunDir;
  addon: StagedAddon;
  log: BlenderLog;
  teardown: TeardownReport;
}

/**
 * What a session's run gathers as it goes: each phase appends to it (the tests their results,
 * the probes theirs, the reload cycles, the UI check), and sessionOutcome judges it once every
 * Blender has stopped. The run's session and the watch's keep one each.
 */
export interface SessionRecord {
  ready: ReadyInfo | undefined;
  readyMs: number | undefined;
  /** why the session could not go on (one sentence): it did not become ready, a test hung, ... */
  sessionFailure: UserError | undefined;
  cancelled: boolean;
  results: StepResult[];
  testsNotRun: NotRunStep[];
  workerProblems: string[];
  /** test files that failed beside others and passed alone */
  parallelUnsafe: ParallelUnsafeFile[];
  fileTimes: FileTime[];
  testsMs: number | undefined;
  /** Blender's own notices, offered its output as it comes */
  notices: BlenderNotices;
  /** Blender's memory after the tests and probes */
  afterWork: Usage | undefined;
  reloads: ReloadCycle[];
  /** the companion and the stdio MCP servers, once stopped */
  beside: BesideReport | undefined;
  mcpSessions: McpSessionRecord[];
  snapshots: SnapshotRecord[];
  /** the UI check, once drawn (undefined: not drawn here, or ui-check: off) */
  ui: UiReport | undefined;
  /**
   * --watch: register()/unregister() errors of code a later save replaced (their addonErrorKey),
   * not the add-on's health now. Errors of other kinds (a timer, a thread) count however long ago.
   */
  supersededErrors?: ReadonlySet<string>;
}

/** A record with nothing in it yet. */
export function newSessionRecord(): SessionRecord {
  return {
    ready: undefined,
    readyMs: undefined,
    sessionFailure: undefined,
    cancelled: false,
    results: [],
    testsNotRun: [],
    workerProblems: [],
    parallelUnsafe: [],
    fileTimes: [],
    testsMs: undefined,
    notices: new BlenderNotices(),
    afterWork: undefined,
    reloads: [],
    beside: undefined,
    mcpSessions: [],
    snapshots: [],
    ui: undefined,
  };
}

/** The record of a session once every Blender has stopped, with what the plan says of the run. */
export interface SessionRun extends SessionRecord {
  config: RunConfig;
  installation: Installation;
  session: EndedSession;
  workers: (EndedSession & { number: number })[];
  suite: ProbeSuite;
  environment: Record<string, string>;
  /** this job's share of a sharded run (the result file keeps it) */
  shard?: ShardRecord;
}

/**
 * What a session's run comes to, after every Blender has stopped: the driver's files read
 * back (deprecations, the add-on's errors, what unregister() left, coverage), on the user's
 * paths, and the verdict over all of it.
 */
export async function sessionOutcome(run: SessionRun): Promise<RunOutcome> {
  const { config, session, workers } = run;
  const everyone: EndedSession[] = [session, ...workers];
  const paths = userPaths(everyone.map((s) => s.addon));
  const notRun = run.ready ? [...run.testsNotRun, ...stepsNotRun(run.suite, run.results)] : [];
  const recorded = await Promise.all(everyone.map((s) => readDriverDeprecations(s.runDir.deprecationsFile)));
  const deprecations = mergeDeprecations([...recorded.flat(), ...run.notices.list()].map((d) => ({ ...d, file: d.file && paths.file(d.file) })));
  const coverage = config.coverage
    ? await collectCoverage({
        sources: everyone.map((s) => ({ files: s.runDir.coverage, addon: s.addon })),
        executable: run.installation.executable,
        environment: run.environment,
        outputPath: config.coveragePath,
      })
    : undefined;
  const health = await addonHealth(run, everyone, paths);
  const { teardown } = session;
  const problems = judge({
    sessionFailure: run.sessionFailure?.message,
    cancelled: run.cancelled,
    results: run.results,
    notRun,
    teardown,
    workerTeardowns: workers.map((w) => ({ worker: w.number, teardown: w.teardown })),
    workerProblems: run.workerProblems,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    deprecations,
    failOnDeprecations: config.deprecations === 'fail',
    coverage: coverage && { percent: coverage.summary?.percent, min: config.coverageMin, problem: coverage.problem },
    health,
    beside: besideProblems(run.beside, config.shutdownTimeoutMs),
    ui: uiProblems(run.ui),
  });
  const blenderMisbehaved = run.sessionFailure !== undefined || teardown.kind !== 'graceful';
  const details = [
    problems.length > 1 ? problems.map((p) => `- ${p}`).join('\n') : undefined,
    run.sessionFailure?.details ?? (blenderMisbehaved ? `Last lines of the Blender log (${session.log.path}):\n${session.log.tail()}` : undefined),
    teardown.crashReport ? `Blender's crash report (its backtrace), kept next to the log: ${teardown.crashReport}` : undefined,
    ...workers.map((w) => w.teardown.crashReport && `Test worker ${w.number}'s crash report: ${w.teardown.crashReport}`),
    run.beside?.companion?.endedEarly ? run.beside.companion.tail : undefined,
    workers.length > 0 ? `Test workers' logs: ${workers.map((w) => `${w.number}: ${w.log.path}`).join('; ')}` : undefined,
  ].filter(Boolean);
  return {
    ok: problems.length === 0,
    ready: run.ready !== undefined,
    failure: headline(problems),
    failureAt: run.ready ? undefined : registerErrorAt(health),
    skipped: undefined,
    details: details.length > 0 ? paths.text(details.join('\n\n')) : undefined,
    blenderVersion: run.ready?.blenderVersion ?? run.installation.version,
    results: run.results.map((r) => (r.details ? { ...r, details: paths.text(r.details) } : r)),
    notRun,
    cancelled: run.cancelled,
    teardown,
    logPath: session.log.path,
    deprecations,
    addonModule: session.addon.module,
    blenderExecutable: run.installation.executable,
    readyMs: run.readyMs,
    coverage: coverage?.summary,
    health,
    parallelUnsafe: run.parallelUnsafe,
    fileTimes: run.fileTimes,
    testsMs: run.testsMs,
    shard: run.shard,
    mcpSessions: run.mcpSessions,
    beside: run.beside,
    snapshots: run.snapshots,
    ui: run.ui,
  };
}

/** The add-on's errors from every session, what each session's unregister() left, the reload cycles, Blender's memory. */
async function addonHealth(run: SessionRun, everyone: EndedSession[], paths: ReturnType<typeof userPaths>): Promise<AddonHealth> {
  const { config, session, workers } = run;
  const records = (await Promise.all(everyone.map((s) => readAddonErrors(s.runDir.addonErrorsFile)))).flat();
  const errors = addonErrorsOf(
    records.filter((r) => !(LOAD_ERROR_KINDS.has(r.kind) && run.supersededErrors?.has(addonErrorKey(r)))),
    paths,
  );
  const atTeardown: AddonLeftover[] = [
    ...addonLeftoversOf(session.teardown.record.leftovers ?? [], 'teardown', paths),
    ...workers.flatMap((w) => addonLeftoversOf(w.teardown.record.leftovers ?? [], `teardown (test worker ${w.number})`, paths)),
  ];
  const unowned: AddonLeftover[] = [
    ...unownedLeftoversOf(session.teardown.record.leftovers ?? [], 'teardown', paths),
    ...workers.flatMap((w) => unownedLeftoversOf(w.teardown.record.leftovers ?? [], `teardown (test worker ${w.number})`, paths)),
  ];
  const usage = session.teardown.record.usage;
  return {
    errors,
    errorsMode: config.addonErrors,
    leftovers: [...run.reloads.flatMap((c) => c.leftovers), ...atTeardown],
    leftoversMode: config.unregisterCheck,
    ...(unowned.length > 0 ? { unowned } : {}),
    reloads: run.reloads,
    memory: run.ready
      ? memoryFigures(
          run.ready.usage,
          run.afterWork,
          run.reloads.map((c) => c.usage),
          usage,
        )
      : undefined,
    maxMemoryGrowthBytes: config.maxMemoryGrowthBytes,
    checkTimings: session.teardown.record.checkTimings ?? undefined,
  };
}

/** The add-on never became ready because its register() raised: the failure is on that line. */
function registerErrorAt(health: AddonHealth): { file: string; line: number } | undefined {
  const raised = health.errors.find((e) => e.kind === 'register' && e.file && e.line);
  return raised ? { file: raised.file!, line: raised.line! } : undefined;
}
