import os from 'node:os';
import { runTestsPhase } from './addon-tests/phase.js';
import { type SuiteShape, readSuiteShape } from './addon-tests/suite-shape.js';
import { requireTestScript, withTestScript } from './addon-tests/test-script.js';
import { parallelUnsafeSentence } from './addon-tests/workers.js';
import { planWorkers } from './addon-tests/worker-plan.js';
import { type TestWorkerSession, removeWorkerRunDirs, startWorkerSessions, stopWorkerSessions } from './addon-tests/worker-sessions.js';
import { asLoadedBy, incompatibility } from './addon/compatibility.js';
import { inspectAddon } from './addon/inspect.js';
import { MANIFEST_FILE } from './addon/manifest.js';
import { userPaths } from './addon/source-map.js';
import { runReloadCycles } from './addon-health/reload-check.js';
import { createUserDirs, stageAddon } from './addon/stage.js';
import type { AddonSource } from './addon/staged-addon.js';
import { checkBlendFile } from './blender/blend-file.js';
import { type Capabilities, capabilitiesOf, firstVersionWith } from './blender/capabilities.js';
import type { Installation } from './blender/installation.js';
import { blenderEnvironment, onlineAccessFlags, onlineAccessFor } from './blender/invocation.js';
import { numericVersion, withKnownVersion } from './blender/known-version.js';
import { locateBlender } from './blender/locate.js';
import { provisionBlender } from './blender/provision.js';
import { installPythonPackages } from './blender/python-packages.js';
import { sourcesFor } from './blender/sources.js';
import type { ResolvedConfig, RunConfig } from './inputs/config.js';
import {
  type SessionPlan,
  type SessionRunner,
  loadedFromSentence,
  probeContextOf,
  sessionOptions,
  snapshotContextOf,
  testsPhaseOf,
  uiCheckOptions,
} from './session-plan.js';
import { DEFAULT_BLENDER } from './inputs/declarations.js';
import { type SourceLocation, UserError } from './errors.js';
import { BesideBlender } from './companion/beside-blender.js';
import { type McpSessionRecord, mcpSessionLine } from './probes/mcp-file.js';
import { expandTestPatterns } from './globs.js';
import { loadProbeSuite } from './probes/load.js';
import { requirePorts } from './probes/require-ports.js';
import type { StepResult } from './probes/results.js';
import type { ProbeContext } from './probes/probe-context.js';
import { runProbes } from './probes/run.js';
import { BlenderControl } from './probes/transports/blender.js';
import { type RunOutcome, skippedOutcome } from './report/outcome.js';
import type { Reporter } from './report/reporter.js';
import { newSessionRecord, sessionOutcome } from './session-outcome.js';
import { durationsFor, readEarlierRuns } from './shards/durations.js';
import { shareOf } from './shards/share.js';
import type { Usage } from './session/driver-protocol.js';
import { createRunDir, removeRunDir } from './session/run-dir.js';
import { Session, type TeardownReport } from './session/session.js';
import { planUiCheckHere } from './ui-check/plan.js';
import { UiCheck, type UiTests } from './ui-check/ui-check.js';
import { splitUiTests, uiTestsLine } from './ui-check/ui-tests.js';
import { nothingToDraw } from './ui-check/ui-report.js';

/** How long a cancelled run waits for Blender to exit before SIGKILL. */
const CANCELLED_GRACE_MS = 3000;

/**
 * The run: load probes → inspect the add-on → provision → check compatibility → stage →
 * start → ready → probes → stop → verdict. Everything a user can get wrong is checked
 * before Blender starts, and before any download where it can be. Once Blender has
 * started, it is always stopped and checked for leftovers, whatever else happens.
 */
export async function runPipeline(config: ResolvedConfig, reporter: Reporter, signal?: AbortSignal, runner: SessionRunner = runSession): Promise<RunOutcome> {
  // Probe files first: a typo there must not wait for a 300 MB download.
  const suite = await loadProbeSuite(config.probes);
  requirePorts(suite, config.port, config.companionPort);
  const testScript = config.testScript && (await requireTestScript(config.testScript));
  const testFiles = withTestScript(config.tests.length > 0 ? await expandTestPatterns(config.tests, process.cwd()) : [], testScript);
  const blendFile = config.blendFile === undefined ? undefined : await checkBlendFile(config.blendFile);
  // shard-durations: the shard plan's weights, and the files earlier runs found not parallel-safe (run alone on test workers).
  const earlier = await readEarlierRuns(config.shardDurations);
  // ui-check: fail with no display to be had is bad input: said before anything starts.
  const ui = await planUiCheckHere(config.uiCheck);
  if (!ui.draw && ui.note) {
    if (ui.level === 'warning') reporter.warning(ui.note);
    else reporter.info(ui.note);
  }

  const runDir = await createRunDir();
  try {
    // The add-on too: an extension's manifest meets Blender's rules before any download.
    const source = await inspectAddon(config.addon, config.addonModule, runDir.unzipped, process.cwd(), config.extensionRepository, config.addonKind);
    const installation = await provision(config, needsBlenderVersion(source, config), reporter);
    const share = config.shard && shareOf(config.shard, testFiles, suite.files.length > 0, durationsFor(earlier.durations, installation.version));
    if (share) {
      for (const line of share.lines) reporter.info(line);
      if (share.nothingToDo) return { ...skippedOutcome(share.nothingToDo, installation.version), shard: share.record };
    }

    const version = numericVersion(installation);
    const addon = asLoadedBy(source, version);
    if (addon !== source)
      reporter.info(
        `${addon.shownAs} has bl_info as well as ${MANIFEST_FILE}: Blender ${installation.version} (before 4.2) loads it as the legacy add-on '${addon.module}'.`,
      );
    const blocked = version && incompatibility(addon, version);
    if (blocked) {
      if (config.incompatibleBlender === 'skip') return skippedOutcome(blocked.reason, installation.version);
      throw new UserError(blocked.reason, undefined, blocked.location);
    }

    const capabilities = capabilitiesOf(version);
    const userDirs = await createUserDirs(runDir.profile);
    const environment = blenderEnvironment({ capabilities, userDirs, runId: runDir.runId, tmpDir: runDir.tmp, extra: config.env });
    const staged = await stageAddon(addon, userDirs, {
      executable: installation.executable,
      version: installation.version ?? 'of unknown version',
      capabilities,
      environment,
      logFile: runDir.logFile,
    });
    if (staged.kind === 'extension') reporter.info(`Extension ${staged.module}: ${staged.installedBy}.`);
    for (const warning of staged.warnings) reporter.warning(`${warning.at}: ${warning.message}; Blender installs and runs it all the same.`, warning.location);
    const pythonPaths =
      config.pythonPackages.length === 0
        ? []
        : [
            await installPythonPackages({
              lines: config.pythonPackages,
              cwd: process.cwd(),
              executable: installation.executable,
              blenderVersion: installation.version,
              environment,
              cache: config.cache,
              workDir: runDir.root,
              logFile: runDir.logFile,
              log: (line) => reporter.info(line),
            }),
          ];

    // The .blend goes last: Blender opens it after every flag before it (blender-args too), then runs the driver.
    const flags = [...launchFlags(config, addon, installation, capabilities, reporter), ...config.blenderArgs, ...(blendFile ? [blendFile] : [])];
    const ours = share ? { suite: share.runsProbes ? suite : { files: [] }, testFiles: share.testFiles } : { suite, testFiles };
    return await runner(
      {
        config,
        ...ours,
        installation,
        addon: staged,
        runDir,
        environment,
        flags,
        pythonPaths,
        capabilities,
        ui,
        shard: share ? share.record : undefined,
        knownParallelUnsafe: earlier.parallelUnsafe,
      },
      reporter,
      signal,
    );
  } finally {
    await removeRunDir(runDir);
  }
}

/** A local Blender's version is asked only when a choice depends on it (it costs a start). */
function needsBlenderVersion(addon: AddonSource, config: RunConfig): boolean {
  // python-packages: its cached folder is per Blender version.
  // shard: the durations and the report are per Blender version.
  return addon.kind === 'extension' || config.onlineAccess !== 'auto' || config.pythonPackages.length > 0 || config.shard !== undefined;
}

/** blender-path: that executable. Otherwise blender-version (default: system = blender on PATH). */
async function provision(config: RunConfig, needsVersion: boolean, reporter: Reporter): Promise<Installation> {
  let installation = config.blenderPath
    ? await locateBlender(config.blenderPath)
    : await provisionBlender({
        spec: config.blenderVersion ?? DEFAULT_BLENDER.cli, // parseRunConfig names one unless mode: versions (which runs no Blender)
        sources: sourcesFor(config.mirrors),
        cache: config.cache,
        checkLatest: config.checkLatest,
        log: (line) => reporter.info(line),
        warn: (line) => reporter.warning(line),
        progress: (label, total) => reporter.progress(label, total),
      });
  if (needsVersion) installation = await withKnownVersion(installation);
  reporter.provisioned(installation);
  return installation;
}

/** The flags this Blender version needs for the add-on: online access, where it has one. */
function launchFlags(config: RunConfig, addon: AddonSource, installation: Installation, capabilities: Capabilities, reporter: Reporter): string[] {
  const onlineAccess = onlineAccessFor(config.onlineAccess, addon.kind === 'extension' && addon.declaresNetwork);
  if (config.onlineAccess !== 'auto' && !capabilities.onlineAccess) {
    reporter.info(
      `Blender ${installation.version} has no online-access setting (it came with ${firstVersionWith('onlineAccess')}): the input changes nothing here.`,
    );
  }
  return onlineAccessFlags(capabilities, onlineAccess);
}

/** Start → ready → the add-on's tests (on its test workers) → probes → reload-check → stop (always) → verdict. */
async function runSession(plan: SessionPlan, reporter: Reporter, signal: AbortSignal | undefined): Promise<RunOutcome> {
  const { config, installation, addon, runDir } = plan;
  reporter.starting(installation.executable, addon.module);
  const record = newSessionRecord();
  const { notices, snapshots } = record;
  // Blender's own tracebacks name the staged copy, a folder gone after the run: echo the user's files.
  const paths = userPaths([addon]);
  // A test's or a `blender` step's traceback runs through the add-on's files too.
  const showStep = (result: StepResult) => reporter.step(result.details ? { ...result, details: paths.text(result.details) } : result);
  const launchedAt = performance.now();
  const base = sessionOptions(plan, reporter, (line) => notices.offer(line));
  const session = await Session.start(base);
  let uiCheck: UiCheck | undefined;
  const beside = new BesideBlender({ config, runDir, suite: plan.suite, onLine: (source, line) => reporter.processOutput(source, line) });
  // Test files that draw the UI themselves run in the UI check's Blender, which has a window (in -b, call_panel crashes Blender).
  const [uiTests, sessionTests] = plan.ui.draw ? await splitUiTests(plan.testFiles) : [[], plan.testFiles];
  const workerPlan = planWorkers(config.testWorkers, sessionTests.length, os.availableParallelism(), config.port, Object.keys(config.workerEnv).length > 0);
  if (workerPlan.note) reporter.info(workerPlan.note);

  let workers: TestWorkerSession[] = [];
  let teardown: TeardownReport;
  let workerTeardowns: TeardownReport[] = [];
  try {
    // The other workers start beside the first: one Blender startup's wait for all of them.
    if (workerPlan.count > 1) {
      workers = await startWorkerSessions({
        count: workerPlan.count - 1,
        base,
        capabilities: plan.capabilities,
        env: config.env,
        workerEnv: config.workerEnv,
        onOutput: (line) => notices.offer(line),
      });
    }
    const ready = await session.ready(signal);
    record.ready = ready;
    record.readyMs = performance.now() - launchedAt;
    reporter.ready(ready, record.readyMs, loadedFromSentence(ready, addon));
    const shape = plan.testFiles.length > 0 ? await readSuiteShape(plan.testFiles, addon, config.addonStateInTests) : undefined;
    for (const line of shape?.lines ?? []) reporter.info(line);
    // Beside the session, once it knows the add-on draws something: its window and OpenGL come up while the session works.
    if (plan.ui.draw) {
      if (ready.uiTargets === 0 && uiTests.length === 0) record.ui = nothingToDraw(plan.ui, plan.config.reloadCheck);
      else {
        if (uiTests.length > 0) reporter.info(uiTestsLine(uiTests));
        const tests =
          uiTests.length > 0 && shape
            ? uiTestsOf(
                plan,
                shape,
                uiTests,
                reporter,
                showStep,
                snapshotContextOf(config, runDir, ready.blenderVersion, reporter, (snapshot) => snapshots.push(snapshot)),
              )
            : undefined;
        uiCheck = UiCheck.begin({ ...uiCheckOptions(plan, plan.ui), tests });
      }
    }
    // The companion talks to the add-on: it starts once Blender is ready, and is up by the probes.
    await beside.start(signal);
    let probesSkipped = false;
    if (sessionTests.length > 0 && shape) {
      const testsStarted = performance.now();
      const snapshotting = snapshotContextOf(config, runDir, ready.blenderVersion, reporter, (snapshot) => snapshots.push(snapshot));
      const tests = await runTestsPhase(
        testsPhaseOf(plan, shape, {
          files: sessionTests,
          main: session,
          workers,
          signal,
          onResult: showStep,
          onWarning: (line) => reporter.warning(line),
          ...snapshotting,
        }),
      );
      if (tests.runner)
        reporter.info(`The add-on's tests ran with ${tests.runner} inside Blender${workers.length > 0 ? ` on ${workers.length + 1} workers` : ''}.`);
      record.results.push(...tests.results);
      record.testsNotRun.push(...tests.notRun);
      record.workerProblems.push(...tests.workerProblems);
      record.parallelUnsafe.push(...tests.parallelUnsafe);
      record.fileTimes.push(...tests.fileTimes);
      record.testsMs = performance.now() - testsStarted;
      for (const file of tests.parallelUnsafe) reporter.warning(parallelUnsafeSentence(file));
      // A test that hung holds the main thread, a crash ended Blender: no probe can run now.
      probesSkipped = tests.mainLost;
    }
    const control = session.control && new BlenderControl(session.control, config.maxReplyBytes);
    try {
      const context = {
        ...probeContextOf(config, session, control),
        mcp: beside.mcpSetting(),
        mcpErrorText: config.mcpErrorText,
        onMcpSession: (mcp: McpSessionRecord) => {
          record.mcpSessions.push(mcp);
          reporter.info(mcpSessionLine(mcp));
        },
        onWarning: (line: string, at: SourceLocation) => reporter.warning(line, at),
        ...snapshotContextOf(config, runDir, ready.blenderVersion, reporter, (snapshot) => snapshots.push(snapshot)),
      };
      if (!probesSkipped) record.results.push(...(await runProbes(plan.suite, context, showStep, signal)));
      const lost = probesSkipped || record.results.some((r) => r.blenderExited) || signal?.aborted;
      if (control && !lost) {
        record.afterWork = await control.value<Usage>('stats', config.probeTimeoutMs, signal).catch(() => undefined);
        if (config.reloadCheck > 0) {
          const check = await runReloadCycles({
            cycles: config.reloadCheck,
            control,
            session,
            addonErrorsFile: runDir.addonErrorsFile,
            suite: plan.suite,
            probeContext: context,
            timeoutMs: config.probeTimeoutMs + config.unregisterGraceMs,
            paths,
            onStep: showStep,
            onCycle: (line) => reporter.info(line),
            signal,
          });
          record.reloads.push(...check.cycles);
          record.results.push(...check.results);
        }
      }
    } finally {
      control?.close();
    }
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    record.sessionFailure = error;
  } finally {
    reporter.stopping();
    // Cancelled: GitHub sends SIGTERM ~7.5 s after SIGINT and SIGKILL 2.5 s later; Blender
    // must be gone and the leftover scan done before then.
    const graceMs = signal?.aborted ? CANCELLED_GRACE_MS : undefined;
    // The companion first: it talks to Blender, and must not see it go first.
    record.beside = await beside.stop(graceMs ?? config.shutdownTimeoutMs);
    [teardown, workerTeardowns] = await Promise.all([session.stop(graceMs), stopWorkerSessions(workers, graceMs)]);
    reporter.stopped(teardown);
    // Now the add-on's port is free: the UI check's Blender enables it and draws.
    if (uiCheck) {
      if (record.ready) reporter.info("Drawing the add-on's UI in a Blender with a window");
      const drawn = await uiCheck.draw(record.ready !== undefined, signal);
      record.ui = drawn.report;
      if (drawn.tests) {
        record.results.push(...drawn.tests.results);
        record.testsNotRun.push(...drawn.tests.notRun);
        record.fileTimes.push(...drawn.tests.fileTimes);
      }
    }
  }

  try {
    return await sessionOutcome({
      ...record,
      cancelled: signal?.aborted ?? false,
      config,
      installation,
      session: { runDir, addon, log: session.log, teardown },
      workers: workers.map((w, i) => ({ number: w.number, runDir: w.runDir, addon: w.addon, log: w.session.log, teardown: workerTeardowns[i]! })),
      suite: plan.suite,
      environment: plan.environment,
      shard: plan.shard,
    });
  } finally {
    await removeWorkerRunDirs(workers);
  }
}

/** The test files that draw UI, as the UI check's Blender runs them: the suite's shape, results shown as they come. */
function uiTestsOf(
  plan: SessionPlan,
  shape: SuiteShape,
  files: string[],
  reporter: Reporter,
  onResult: (result: StepResult) => void,
  snapshotting: Pick<ProbeContext, 'snapshots' | 'onSnapshot'>,
): UiTests {
  const { config } = plan;
  return {
    files,
    runner: config.testRunner,
    timeoutMs: config.testTimeoutMs,
    installedOnly: shape.installedOnly,
    importPaths: shape.importPaths,
    onWarning: (line) => reporter.warning(line),
    onResult,
    ...snapshotting,
  };
}
