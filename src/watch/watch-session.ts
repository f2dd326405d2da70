import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { addonErrorKey, readAddonErrors } from '../addon-health/errors.js';
import { describeAddonLeftover } from '../addon-health/leftovers.js';
import { reloadAddon } from '../addon-health/reload-check.js';
import { runTestsPhase } from '../addon-tests/phase.js';
import { readSuiteShape } from '../addon-tests/suite-shape.js';
import { withTestScript } from '../addon-tests/test-script.js';
import { copyAddonFiles } from '../addon/files.js';
import { userPaths } from '../addon/source-map.js';
import { displayPath } from '../display-path.js';
import { formatDuration } from '../duration.js';
import { UserError, errorMessage } from '../errors.js';
import { expandPatterns, expandTestPatterns, isFolderPattern } from '../globs.js';
import {
  type SessionPlan,
  type SessionRunner,
  loadedFromSentence,
  probeContextOf,
  sessionOptions,
  snapshotContextOf,
  testsPhaseOf,
  uiCheckOptions,
} from '../session-plan.js';
import { workerEnvironment } from '../addon-tests/worker-plan.js';
import { freePort } from '../session/free-port.js';
import { UiCheck } from '../ui-check/ui-check.js';
import { uiCountsLine, uiLines, uiProblems } from '../ui-check/ui-report.js';
import { loadProbeSuite } from '../probes/load.js';
import type { NotRunStep, StepResult } from '../probes/results.js';
import { runProbes } from '../probes/run.js';
import { BlenderControl } from '../probes/transports/blender.js';
import { counts } from '../report/format.js';
import { type RunOutcome, finishedOutcome } from '../report/outcome.js';
import { writeRunHtmlReport } from '../html-report/write-html-report.js';
import type { Reporter } from '../report/reporter.js';
import { BlenderNotices } from '../session/deprecations.js';
import type { ReadyInfo } from '../session/driver-protocol.js';
import { newSessionRecord, sessionOutcome } from '../session-outcome.js';
import type { SnapshotRecord } from '../snapshots/snapshot-check.js';
import type { ProbeSuite } from '../probes/suite.js';
import type { UiReport } from '../ui-check/ui-report.js';
import { exitedWithin } from '../session/launch.js';
import { Session, type TeardownReport } from '../session/session.js';
import { capitalized } from '../text.js';
import { KEYS_HELP, KEYS_LINE, type WatchKey, listenForKeys } from './keys.js';
import { type WatchRun, type WatchTargets, planChanges, planKey } from './plan.js';
import { watchFolders } from './watcher.js';

/** Leftovers a reload cannot go on from: the next enable would fail on them ("already registered", "Address already in use"). */
const UNSAFE_LEFTOVERS = new Set(['class', 'port']);

/**
 * --watch: the run's session, kept. After the first run it waits for saves and keys; each
 * burst of saves reloads the add-on in the live Blender when its files changed and runs what the
 * change affects; a key runs everything, what failed, or a fresh session. What goes wrong (an
 * add-on that does not enable, a crash, a leftover a reload cannot go on from) is said and the
 * watch waits, starting a fresh Blender where it must. q (or Ctrl-C) stops Blender as every run
 * does, leftover scan included, and the outcome is the last run's.
 */
export function watchRunner(keys: NodeJS.ReadStream): SessionRunner {
  return (plan, reporter, signal) => {
    const refused = watchRefusal(plan);
    if (refused) throw new UserError(refused);
    if (plan.config.testWorkers !== 1) reporter.info('--watch runs the tests in one session: test-workers does not apply.');
    return new Watch(plan, reporter, keys, signal).run();
  };
}

/** What --watch cannot do, in one sentence: reload a zip, or run a shard's share. */
export function watchRefusal(plan: Pick<SessionPlan, 'config' | 'addon' | 'suite'>): string | undefined {
  if (plan.addon.source.archive)
    return `--watch reloads the add-on from its source: give the folder (or .py file) ${plan.addon.source.shownAs} is built from, not the zip.`;
  if (plan.config.shard) return '--watch runs every test file as you change them: leave out --shard.';
  // Each fresh Blender would need its own companion and MCP servers: not done yet.
  if (plan.config.companion !== undefined) return '--watch does not start a companion yet: run without --watch to test the add-on with its companion.';
  if (plan.suite.files.some((file) => file.target.mcp)) return '--watch does not run MCP probe files yet: leave them out of --probes, or run without --watch.';
  return undefined;
}

class Watch {
  private session: Session | undefined;
  /** as the session's Blender says it (per-series approved images) */
  private blenderVersion: string | undefined;
  /** the session's control channel, one connection for all its runs (closed when it stops) */
  private sessionControl: BlenderControl | undefined;
  /** why the session cannot run work (it crashed, it did not become ready): a fresh one at the next run */
  private broken: string | undefined;
  private targets: WatchTargets = { addon: '', tests: [], probes: [] };
  private failed = new Set<string>();
  /**
   * The last run, as the verdict at q judges it (with the add-on's health over the session and
   * its teardown, through sessionOutcome as every run's verdict): its results, the probe files it
   * ran, its render snapshots, its UI, and what stopped it (a reload that failed, a Blender that
   * did not start).
   */
  private last: {
    results: StepResult[];
    notRun: NotRunStep[];
    ok: boolean;
    suite: ProbeSuite;
    snapshots: SnapshotRecord[];
    ui: UiReport | undefined;
    problem: string | undefined;
  } = {
    results: [],
    notRun: [],
    ok: true,
    suite: { files: [] },
    snapshots: [],
    ui: undefined,
    problem: undefined,
  };
  /** the current Blender's readiness (undefined: not ready) */
  private ready: { info: ReadyInfo; ms: number } | undefined;
  /** register()/unregister() errors of code replaced since by a load that worked (not the add-on's state at q) */
  private supersededErrors = new Set<string>();
  /** Blender's own deprecation warnings, from its output */
  private readonly notices = new BlenderNotices();
  private queue: Promise<void> = Promise.resolve();
  private waiting: WatchRun | 'restart' | undefined;
  private restarts = 0;
  /** the current Blender's log */
  private logFile = '';
  /** the pages written after each run (html-report), in order: q waits for them */
  private pageWrites: Promise<void> = Promise.resolve();
  private quit!: () => void;
  /** q was pressed: no run starts now, no Blender is started again */
  private quitting = false;
  private readonly paths;
  private readonly cwd = process.cwd();
  /** the UI checks drawn so far (each after a run that loaded the add-on's code) */
  private uiRounds = 0;
  /** the add-on's code was loaded (a start, a reload) since the UI was last drawn */
  private loadedSinceDrawn = false;
  /** what the add-on draws, as the driver counted it at the last start or reload (0: no UI check) */
  private uiTargets: number | null | undefined;

  constructor(
    private readonly plan: SessionPlan,
    private readonly reporter: Reporter,
    private readonly keys: NodeJS.ReadStream,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.paths = userPaths([plan.addon]);
  }

  async run(): Promise<RunOutcome> {
    const quitting = new Promise<void>((resolve) => {
      this.quit = () => {
        this.quitting = true;
        resolve();
      };
    });
    this.signal?.addEventListener('abort', () => this.quit(), { once: true });
    this.targets = await this.currentTargets();
    // Watching from the start: a save during the first run is the next run (the line that says
    // "Watching" must never come before the watch).
    const folders = [
      this.plan.addon.kind === 'file' ? path.dirname(this.targets.addon) : this.targets.addon,
      ...this.watchedTestFolders(),
      ...this.targets.probes.map((p) => path.dirname(p)),
    ];
    const watcher = watchFolders(folders, (files) => this.heard(files));
    await watcher.ready;
    const stopKeys = listenForKeys(this.keys, (key) => this.onKey(key));
    this.enqueue(() => this.firstRun());
    await quitting;
    await watcher.close();
    stopKeys();
    return this.finish();
  }

  /** The test and probe patterns again (a file added since is in the next run), and the add-on's source. */
  private async currentTargets(): Promise<WatchTargets> {
    const { config, addon } = this.plan;
    const found = config.tests.length > 0 ? await expandTestPatterns(config.tests, this.cwd).catch(() => this.targets.tests) : [];
    const tests = withTestScript(found, config.testScript, this.cwd); // test-script: one more file of the suite, saved and run again like them
    const probes = config.probes.length > 0 ? await expandPatterns(config.probes, this.cwd, 'probes').catch(() => this.targets.probes) : [];
    return { addon: addon.source.root, tests, probes };
  }

  private watchedTestFolders(): string[] {
    // A folder given as tests is watched whole: a test file added to it is in the next run.
    const given = this.plan.config.tests.filter((p) => isFolderPattern(p, this.cwd)).map((p) => path.resolve(this.cwd, p));
    return [...given, ...this.targets.tests.map((t) => path.dirname(t))];
  }

  /** A burst of saves: planned outside the queue (saves during a run merge into the next), its errors said as the queue's are. */
  private heard(files: string[]): void {
    this.onSaved(files).catch((error: unknown) => this.reporter.warning(`The watch could not plan a run for the saved files: ${errorMessage(error)}`));
  }

  private async onSaved(files: string[]): Promise<void> {
    this.targets = await this.currentTargets();
    const run = planChanges(
      files.map((f) => path.resolve(f)),
      this.targets,
      (f) => displayPath(f, this.cwd),
      existsSync,
    );
    if (run) this.schedule(run);
  }

  private onKey(key: WatchKey): void {
    if (key === 'quit') return this.quit();
    if (key === 'help') {
      for (const line of KEYS_HELP) this.reporter.info(line);
      return;
    }
    if (key === 'restart') return this.schedule('restart');
    const run = planKey(key, this.targets, this.failed);
    if (run) this.schedule(run);
    else this.reporter.info('Nothing failed in the last run.');
  }

  /** One run at a time: what comes in meanwhile waits, merged into one run. */
  private schedule(run: WatchRun | 'restart'): void {
    const first = this.waiting === undefined;
    this.waiting = merge(this.waiting, run);
    if (!first) return;
    this.enqueue(async () => {
      const next = this.waiting!;
      this.waiting = undefined;
      if (next === 'restart') {
        await this.restart('r: a fresh session');
        await this.execute({ reload: false, tests: this.targets.tests, probes: this.targets.probes, why: 'r: a fresh session' });
      } else {
        await this.execute(next);
      }
    });
  }

  /** Blender started, then everything run; a Blender that does not start is said, and started again at the next save. */
  private async firstRun(): Promise<void> {
    const started = performance.now();
    const run = { reload: false, tests: this.targets.tests, probes: this.targets.probes, why: 'the first run' };
    await this.start();
    if (this.broken) this.ended(started, run, this.broken);
    else await this.execute(run);
  }

  /** The jobs in turn; one that throws (our bug) is said, and the watch goes on with the next. */
  private enqueue(job: () => Promise<void>): void {
    this.queue = this.queue
      .then(() => (this.quitting ? undefined : job()))
      .catch((error: unknown) => {
        this.reporter.warning(`The watch's run failed unexpectedly: ${errorMessage(error)}`);
        this.broken ??= 'the last run failed unexpectedly';
      });
  }

  private async start(): Promise<void> {
    const launchedAt = performance.now();
    // Each Blender of the watch logs to a file of its own: a crashed one's log is kept.
    const runDir =
      this.restarts === 0 ? this.plan.runDir : { ...this.plan.runDir, logFile: this.plan.runDir.logFile.replace(/\.log$/, `-${this.restarts}.log`) };
    await Promise.all([runDir.readyFile, runDir.stopFile].map((file) => rm(file, { force: true })));
    this.reporter.starting(this.plan.installation.executable, this.plan.addon.module);
    this.logFile = runDir.logFile;
    this.ready = undefined;
    this.session = await Session.start(sessionOptions({ ...this.plan, runDir }, this.reporter, (line) => this.notices.offer(line)));
    try {
      const ready = await this.session.ready(this.signal);
      this.ready = { info: ready, ms: performance.now() - launchedAt };
      this.blenderVersion = ready.blenderVersion;
      this.reporter.ready(ready, this.ready.ms, loadedFromSentence(ready, this.plan.addon));
      this.broken = undefined;
      await this.supersedeEarlierLoads();
      this.loadedSinceDrawn = true;
      this.uiTargets = ready.uiTargets;
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      this.broken = error.message.replace(/\.$/, ''); // said when the run ends
    }
  }

  private async restart(why: string): Promise<void> {
    if (this.quitting) return;
    this.reporter.info(`Restarting Blender: ${why}.`);
    if (this.session) await this.stop();
    this.restarts++;
    await refreshStagedCopy(this.plan);
    await this.start();
  }

  /** The current session's control channel (once it is ready), opened once. */
  private control(): BlenderControl | undefined {
    const endpoint = this.session?.control;
    if (!this.sessionControl && endpoint) this.sessionControl = new BlenderControl(endpoint, this.plan.config.maxReplyBytes);
    return this.sessionControl;
  }

  private async stop(): Promise<TeardownReport> {
    this.sessionControl?.close();
    this.sessionControl = undefined;
    this.reporter.stopping();
    const teardown = await this.session!.stop();
    this.reporter.stopped(teardown);
    return teardown;
  }

  /** A run: the reload first when the add-on changed, then the tests and probes it affects; one line at the end. */
  private async execute(run: WatchRun): Promise<void> {
    const started = performance.now();
    this.reporter.info(`── ${run.why} ──`);
    const ended = this.session && (await exitedWithin(this.session.blender, 0));
    if (ended && !this.broken) this.broken = `Blender ${ended}`;
    let reloaded = '';
    if (this.broken) {
      await this.restart(this.broken);
      if (this.broken) return this.ended(started, run, this.broken);
      run = { ...run, reload: false, tests: this.targets.tests, probes: this.targets.probes };
    } else if (run.reload) {
      const outcome = await this.reload();
      if (outcome.problem) return this.ended(started, run, outcome.problem);
      reloaded = `reloaded in ${formatDuration(outcome.ms)}`;
    }
    const results: StepResult[] = [];
    const notRun: NotRunStep[] = [];
    const show = (result: StepResult) => {
      const shown = result.details ? { ...result, details: this.paths.text(result.details) } : result;
      results.push(shown);
      this.reporter.step(shown);
    };
    const session = this.session!;
    const snapshots: SnapshotRecord[] = [];
    let suite: ProbeSuite = { files: [] };
    let lost = false;
    /** a probe file that does not load: the run's problem, said at its end (the file's line and column in it) */
    let unloadable: string | undefined;
    // Render steps and tests' snapshots, compared for this Blender and recorded for the verdict at q.
    const snapshotting = snapshotContextOf(
      this.plan.config,
      this.plan.runDir,
      this.blenderVersion ?? this.plan.installation.version ?? '',
      this.reporter,
      (record) => snapshots.push(record),
    );
    if (run.tests.length > 0) {
      // Read over every test file, as a whole run reads them: the add-on's state in the tests
      // must not depend on which file was saved.
      const shape = await readSuiteShape(this.targets.tests, this.plan.addon, this.plan.config.addonStateInTests);
      const tests = await runTestsPhase(
        testsPhaseOf(this.plan, shape, {
          files: run.tests,
          main: session,
          workers: [],
          signal: this.signal,
          onResult: show,
          onWarning: (line) => this.reporter.warning(line),
          ...snapshotting,
        }),
      );
      notRun.push(...tests.notRun);
      lost = tests.mainLost;
    }
    if (run.probes.length > 0 && !lost) {
      const loaded = await loadProbeSuite(run.probes, this.cwd).catch((error: unknown) => {
        unloadable = errorMessage(error).replace(/\.$/, '');
        return undefined;
      });
      if (loaded) {
        suite = loaded;
        await runProbes(suite, { ...probeContextOf(this.plan.config, session, this.control()), ...snapshotting }, show, this.signal);
      }
    }
    const gone = await exitedWithin(session.blender, 0);
    if (gone) this.broken = `Blender ${gone}`;
    this.remember(run, { results, notRun, suite, snapshots });
    // The UI is what authors iterate on most: drawn again whenever the add-on's code was loaded.
    const ui = this.loadedSinceDrawn ? await this.drawUi() : '';
    this.ended(started, run, unloadable, [reloaded, ui].filter(Boolean).join('; '));
  }

  /**
   * The UI check after a run: a Blender with a window beside the session (which keeps the add-on
   * and its port: worker-env gives that Blender a port of its own), drawing the staged copy the
   * run loaded. Its findings are said, and its problems fail the watch's verdict as a run's do.
   */
  private async drawUi(): Promise<string> {
    const { plan } = this;
    if (!plan.ui.draw || this.quitting) return '';
    this.loadedSinceDrawn = false;
    if (this.uiTargets === 0) return ''; // nothing to draw: no Blender with a window
    this.uiRounds++;
    const { config } = plan;
    const env = Object.keys(config.workerEnv).length > 0 ? workerEnvironment(config.workerEnv, await freePort(), 0) : undefined;
    if (this.uiRounds === 1 && config.port !== undefined && !env) {
      this.reporter.info(
        `The session keeps port ${config.port} under --watch: the UI is drawn by a second Blender beside it; an add-on that binds its port in register() needs worker-env to give that Blender a port of its own.`,
      );
    }
    const { report } = await UiCheck.begin({ ...uiCheckOptions(plan, plan.ui), env, round: this.uiRounds }).draw(true, this.signal);
    const problems = uiProblems(report);
    if (problems.length > 0) this.reporter.warning(uiCountsLine(report));
    else this.reporter.info(uiCountsLine(report));
    for (const line of uiLines(report)) this.reporter.info(`  ${line}`);
    this.last.ui = report;
    if (problems.length > 0) this.last.ok = false;
    return `UI: ${report.errors.length} draw error${report.errors.length === 1 ? '' : 's'}`;
  }

  /** The staged copy made again from the source, then the driver's reload (as reload-check does it); ready again. */
  private async reload(): Promise<{ problem: string | undefined; ms: number }> {
    const { session, plan } = this;
    await refreshStagedCopy(plan);
    const control = this.control();
    if (!control) return { problem: 'the add-on cannot be reloaded here: the driver has no control channel', ms: 0 };
    const reload = await reloadAddon(
      {
        control,
        session: session!,
        timeoutMs: plan.config.probeTimeoutMs + plan.config.unregisterGraceMs,
        paths: this.paths,
        signal: this.signal,
        addonErrorsFile: plan.runDir.addonErrorsFile,
      },
      'reload',
    );
    if (!reload.answered) {
      this.broken = reload.problem;
      return reload;
    }
    if (reload.leftovers.length > 0) this.reporter.warning(`unregister() left ${reload.leftovers.map(describeAddonLeftover).join('; ')}.`);
    if (reload.problem) return { problem: `${reload.problem}; fix it and save`, ms: reload.ms };
    const unsafe = reload.leftovers.find((l) => UNSAFE_LEFTOVERS.has(l.kind));
    if (unsafe) {
      await this.restart(`the reload cannot go on from a ${unsafe.kind} left behind`);
      return { problem: this.broken, ms: reload.ms };
    }
    await this.supersedeEarlierLoads();
    this.loadedSinceDrawn = true;
    this.uiTargets = reload.uiTargets;
    return reload;
  }

  /** The add-on's code loaded and ready: the register()/unregister() errors recorded so far were of code replaced since. */
  private async supersedeEarlierLoads(): Promise<void> {
    for (const record of await readAddonErrors(this.plan.runDir.addonErrorsFile)) this.supersededErrors.add(addonErrorKey(record));
  }

  private remember(run: WatchRun, ran: Pick<Watch['last'], 'results' | 'notRun' | 'suite' | 'snapshots'>): void {
    const failedFiles = new Set(ran.results.filter((r) => !r.passed).map((r) => r.file));
    for (const file of [...run.tests, ...run.probes]) {
      if (failedFiles.has(displayPath(file, this.cwd))) this.failed.add(file);
      else this.failed.delete(file);
    }
    this.last = { ...ran, ok: failedFiles.size === 0 && ran.notRun.length === 0, ui: undefined, problem: undefined };
  }

  /** The run's last line (what it came to, why it ran, the reload, the time), then the keys. */
  private ended(started: number, run: WatchRun, problem: string | undefined, reloaded = ''): void {
    const took = formatDuration(performance.now() - started);
    if (problem) {
      this.last = { ...this.last, ok: false, problem };
      this.reporter.warning(`${capitalized(problem)} (${run.why}; ${took}).`);
    } else {
      const { passed, failed } = counts(this.last.results);
      const notRun = this.last.notRun.length > 0 ? `, ${this.last.notRun.length} not run` : '';
      this.reporter.info(`${passed} passed, ${failed} failed${notRun} (${[run.why, reloaded, took].filter(Boolean).join('; ')})`);
    }
    if (this.broken)
      this.reporter.warning(
        problem === this.broken
          ? 'Blender is started again at the next save (or r).'
          : `${capitalized(this.broken)}: Blender is started again at the next save (or r).`,
      );
    this.reporter.info(KEYS_LINE);
    this.writePage();
  }

  /**
   * html-report: the page of the run that just ended, so that show-report's next reload shows it
   * (the whole run's verdict is written at q, as a run writes it). Written one after another.
   */
  private writePage(): void {
    const folder = this.plan.config.htmlReport;
    if (!folder) return;
    const { last } = this;
    const outcome = finishedOutcome({
      ok: last.ok,
      failure: last.problem && `${capitalized(last.problem)}.`,
      results: last.results,
      notRun: last.notRun,
      snapshots: last.snapshots,
      ui: last.ui,
      blenderVersion: this.ready?.info.blenderVersion,
      blenderExecutable: this.plan.installation.executable,
      addonModule: this.plan.addon.module,
      logPath: this.logFile,
    });
    this.pageWrites = this.pageWrites
      .then(() => writeRunHtmlReport(folder, outcome, this.plan.config.addon, this.cwd))
      .then((problem) => {
        if (problem) this.reporter.warning(problem);
      });
  }

  /**
   * q: the run in progress ends with Blender; Blender is stopped and scanned as always. The
   * verdict is a run's (sessionOutcome): the last run's results and what stopped it, with the
   * add-on's errors, deprecations, coverage and leftovers over the session, judged by the same
   * inputs (addon-errors, deprecations, coverage-min, unregister-check).
   */
  private async finish(): Promise<RunOutcome> {
    const teardown = this.session ? await this.stop() : undefined;
    await this.queue.catch(() => {});
    await this.pageWrites;
    const { plan, last, session } = this;
    if (!session || !teardown) {
      const failure = capitalized(`${last.problem ?? this.broken ?? 'Blender did not start'}.`);
      return finishedOutcome({
        ok: false,
        ready: false,
        failure,
        logPath: this.logFile,
        addonModule: plan.addon.module,
        blenderExecutable: plan.installation.executable,
      });
    }
    const sessionFailure = last.problem ? new UserError(`${capitalized(last.problem)}.`) : undefined;
    return sessionOutcome({
      // The last run's record, as the run's session keeps one (Ctrl-C ends a watch as q does: not cancelled).
      ...newSessionRecord(),
      ready: this.ready?.info,
      readyMs: this.ready?.ms,
      sessionFailure,
      results: last.results,
      testsNotRun: last.notRun,
      notices: this.notices,
      snapshots: last.snapshots,
      ui: last.ui,
      supersededErrors: this.supersededErrors,
      config: plan.config,
      installation: plan.installation,
      session: { runDir: plan.runDir, addon: plan.addon, log: session.log, teardown },
      workers: [],
      suite: last.suite,
      environment: plan.environment,
    });
  }
}

/** Two runs waiting become one: a reload if either reloads, the files of both. */
export function merge(waiting: WatchRun | 'restart' | undefined, next: WatchRun | 'restart'): WatchRun | 'restart' {
  if (waiting === 'restart' || next === 'restart' || waiting === undefined) return waiting === 'restart' ? waiting : next;
  const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];
  return {
    reload: waiting.reload || next.reload,
    tests: union(waiting.tests, next.tests),
    probes: union(waiting.probes, next.probes),
    why: `${waiting.why}; ${next.why}`,
  };
}

/** The staged copy made again from the user's files (what changed, what was deleted): the reload imports these. */
async function refreshStagedCopy(plan: SessionPlan): Promise<void> {
  await rm(plan.addon.path, { recursive: true, force: true });
  await copyAddonFiles(plan.addon.source.root, plan.addon.path);
}
