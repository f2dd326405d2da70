import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { addonErrorsOf, describeAddonError, readAddonErrors } from '../addon-health/errors.js';
import { addonLeftoversOf, describeAddonLeftover } from '../addon-health/leftovers.js';
import { runTestsPhase } from '../addon-tests/phase.js';
import { readSuiteShape } from '../addon-tests/suite-shape.js';
import { copyAddonFiles } from '../addon/files.js';
import { userPaths } from '../addon/source-map.js';
import { displayPath } from '../display-path.js';
import { formatDuration } from '../duration.js';
import { UserError, errorMessage } from '../errors.js';
import { expandPatterns, expandTestPatterns, isFolderPattern } from '../globs.js';
import { type SessionPlan, type SessionRunner, loadedFromSentence, probeContextOf, sessionOptions, snapshotContextOf, testsPhaseOf, uiCheckOptions } from '../main.js';
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
import type { Reporter } from '../report/reporter.js';
import type { ReloadReply } from '../session/driver-protocol.js';
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
  if (plan.addon.source.archive) return `--watch reloads the add-on from its source: give the folder (or .py file) ${plan.addon.source.shownAs} is built from, not the zip.`;
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
  private last: { results: StepResult[]; notRun: NotRunStep[]; ok: boolean } = { results: [], notRun: [], ok: true };
  private queue: Promise<void> = Promise.resolve();
  private waiting: WatchRun | 'restart' | undefined;
  private restarts = 0;
  /** the current Blender's log */
  private logFile = '';
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
    const folders = [this.plan.addon.kind === 'file' ? path.dirname(this.targets.addon) : this.targets.addon, ...this.watchedTestFolders(), ...this.targets.probes.map((p) => path.dirname(p))];
    const watcher = watchFolders(folders, (files) => void this.onSaved(files));
    const stopKeys = listenForKeys(this.keys, (key) => this.onKey(key));
    this.enqueue(() => this.firstRun());
    await quitting;
    watcher.close();
    stopKeys();
    return this.finish();
  }

  /** The test and probe patterns again (a file added since is in the next run), and the add-on's source. */
  private async currentTargets(): Promise<WatchTargets> {
    const { config, addon } = this.plan;
    const tests = config.tests.length > 0 ? await expandTestPatterns(config.tests, this.cwd).catch(() => this.targets.tests) : [];
    const probes = config.probes.length > 0 ? await expandPatterns(config.probes, this.cwd, 'probes').catch(() => this.targets.probes) : [];
    return { addon: addon.source.root, tests, probes };
  }

  private watchedTestFolders(): string[] {
    // A folder given as tests is watched whole: a test file added to it is in the next run.
    const given = this.plan.config.tests.filter((p) => isFolderPattern(p, this.cwd)).map((p) => path.resolve(this.cwd, p));
    return [...given, ...this.targets.tests.map((t) => path.dirname(t))];
  }

  private async onSaved(files: string[]): Promise<void> {
    this.targets = await this.currentTargets();
    const run = planChanges(files.map((f) => path.resolve(f)), this.targets, (f) => displayPath(f, this.cwd), existsSync);
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
    this.queue = this.queue.then(() => (this.quitting ? undefined : job())).catch((error: unknown) => {
      this.reporter.warning(`The watch's run failed unexpectedly: ${errorMessage(error)}`);
      this.broken ??= 'the last run failed unexpectedly';
    });
  }

  private async start(): Promise<void> {
    const launchedAt = performance.now();
    // Each Blender of the watch logs to a file of its own: a crashed one's log is kept.
    const runDir = this.restarts === 0 ? this.plan.runDir : { ...this.plan.runDir, logFile: this.plan.runDir.logFile.replace(/\.log$/, `-${this.restarts}.log`) };
    await Promise.all([runDir.readyFile, runDir.stopFile].map((file) => rm(file, { force: true })));
    this.reporter.starting(this.plan.installation.executable, this.plan.addon.module);
    this.logFile = runDir.logFile;
    this.session = await Session.start(sessionOptions({ ...this.plan, runDir }, this.reporter));
    try {
      const ready = await this.session.ready(this.signal);
      this.blenderVersion = ready.blenderVersion;
      this.reporter.ready(ready, performance.now() - launchedAt, loadedFromSentence(ready, this.plan.addon));
      this.broken = undefined;
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
    let lost = false;
    if (run.tests.length > 0) {
      // Read over every test file, as a whole run reads them: the add-on's state in the tests
      // must not depend on which file was saved.
      const shape = await readSuiteShape(this.targets.tests, this.plan.addon, this.plan.config.addonStateInTests);
      const snapshotting = snapshotContextOf(this.plan.config, this.plan.runDir, this.blenderVersion ?? this.plan.installation.version ?? '', this.reporter, () => {});
      const tests = await runTestsPhase(testsPhaseOf(this.plan, shape, { files: run.tests, main: session, workers: [], signal: this.signal, onResult: show, onWarning: (line) => this.reporter.warning(line), ...snapshotting }));
      notRun.push(...tests.notRun);
      lost = tests.mainLost;
    }
    if (run.probes.length > 0 && !lost) {
      const suite = await loadProbeSuite(run.probes, this.cwd).catch((error: unknown) => {
        this.reporter.warning(errorMessage(error));
        return undefined;
      });
      const snapshots = snapshotContextOf(this.plan.config, this.plan.runDir, this.blenderVersion ?? this.plan.installation.version ?? '', this.reporter, () => {});
      if (suite) await runProbes(suite, { ...probeContextOf(this.plan.config, session, this.control()), ...snapshots }, show, this.signal);
    }
    const gone = await exitedWithin(session.blender, 0);
    if (gone) this.broken = `Blender ${gone}`;
    this.remember(run, results, notRun);
    // The UI is what authors iterate on most: drawn again whenever the add-on's code was loaded.
    const ui = this.loadedSinceDrawn ? await this.drawUi() : '';
    this.ended(started, run, undefined, [reloaded, ui].filter(Boolean).join('; '));
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
      this.reporter.info(`The session keeps port ${config.port} under --watch: the UI is drawn by a second Blender beside it; an add-on that binds its port in register() needs worker-env to give that Blender a port of its own.`);
    }
    const { report } = await UiCheck.begin({ ...uiCheckOptions(plan, plan.ui), env, round: this.uiRounds }).draw(true, this.signal);
    const problems = uiProblems(report);
    if (problems.length > 0) this.reporter.warning(uiCountsLine(report));
    else this.reporter.info(uiCountsLine(report));
    for (const line of uiLines(report)) this.reporter.info(`  ${line}`);
    if (problems.length > 0) this.last = { ...this.last, ok: false };
    return `UI: ${report.errors.length} draw error${report.errors.length === 1 ? '' : 's'}`;
  }

  /** The staged copy made again from the source, then the driver's reload: disable, what it left, enable, startup; ready again. */
  private async reload(): Promise<{ problem: string | undefined; ms: number }> {
    const started = performance.now();
    const { session, plan } = this;
    await refreshStagedCopy(plan);
    const control = this.control();
    if (!control) return { problem: 'the add-on cannot be reloaded here: the driver has no control channel', ms: 0 };
    let reply: ReloadReply;
    try {
      reply = await control.value<ReloadReply>('reload', plan.config.probeTimeoutMs + plan.config.unregisterGraceMs, this.signal);
    } catch (error) {
      this.broken = `the reload did not answer (${errorMessage(error)})`;
      return { problem: this.broken, ms: performance.now() - started };
    }
    const leftovers = addonLeftoversOf(reply.leftovers, 'reload', this.paths);
    if (leftovers.length > 0) this.reporter.warning(`unregister() left ${leftovers.map(describeAddonLeftover).join('; ')}.`);
    if (!reply.enabled) {
      const registerError = addonErrorsOf(await readAddonErrors(plan.runDir.addonErrorsFile), this.paths).filter((e) => e.kind === 'register').at(-1);
      const why = registerError ? describeAddonError(registerError) : this.paths.text(reply.problem ?? 'see the log');
      return { problem: `the add-on did not enable: ${why}; fix it and save`, ms: performance.now() - started };
    }
    const unsafe = leftovers.find((l) => UNSAFE_LEFTOVERS.has(l.kind));
    if (unsafe) {
      await this.restart(`the reload cannot go on from a ${unsafe.kind} left behind`);
      return { problem: this.broken, ms: performance.now() - started };
    }
    try {
      await session!.ready(this.signal);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return { problem: `the add-on did not become ready again: ${error.message}`, ms: performance.now() - started };
    }
    this.loadedSinceDrawn = true;
    this.uiTargets = reply.uiTargets;
    return { problem: undefined, ms: performance.now() - started };
  }

  private remember(run: WatchRun, results: StepResult[], notRun: NotRunStep[]): void {
    const failedFiles = new Set(results.filter((r) => !r.passed).map((r) => r.file));
    for (const file of [...run.tests, ...run.probes]) {
      if (failedFiles.has(displayPath(file, this.cwd))) this.failed.add(file);
      else this.failed.delete(file);
    }
    this.last = { results, notRun, ok: failedFiles.size === 0 && notRun.length === 0 };
  }

  /** The run's last line (what it came to, why it ran, the reload, the time), then the keys. */
  private ended(started: number, run: WatchRun, problem: string | undefined, reloaded = ''): void {
    const took = formatDuration(performance.now() - started);
    if (problem) {
      this.last = { ...this.last, ok: false };
      this.reporter.warning(`${capitalized(problem)} (${run.why}; ${took}).`);
    } else {
      const { passed, failed } = counts(this.last.results);
      const notRun = this.last.notRun.length > 0 ? `, ${this.last.notRun.length} not run` : '';
      this.reporter.info(`${passed} passed, ${failed} failed${notRun} (${[run.why, reloaded, took].filter(Boolean).join('; ')})`);
    }
    if (this.broken) this.reporter.warning(problem === this.broken ? 'Blender is started again at the next save (or r).' : `${capitalized(this.broken)}: Blender is started again at the next save (or r).`);
    this.reporter.info(KEYS_LINE);
  }

  /** q: the run in progress ends with Blender; Blender is stopped and scanned as always; the outcome is the last run's. */
  private async finish(): Promise<RunOutcome> {
    const teardown = this.session ? await this.stop() : undefined;
    await this.queue.catch(() => {});
    const clean = teardown !== undefined && teardown.kind === 'graceful' && teardown.leftovers.length === 0;
    const ok = this.last.ok && clean;
    return finishedOutcome({
      ok,
      ready: this.session !== undefined,
      failure: ok ? undefined : clean ? 'the last run failed' : 'Blender did not stop cleanly',
      results: this.last.results,
      notRun: this.last.notRun,
      teardown,
      logPath: this.logFile,
      addonModule: this.plan.addon.module,
      blenderExecutable: this.plan.installation.executable,
      blenderVersion: this.plan.installation.version,
    });
  }
}

/** Two runs waiting become one: a reload if either reloads, the files of both. */
export function merge(waiting: WatchRun | 'restart' | undefined, next: WatchRun | 'restart'): WatchRun | 'restart' {
  if (waiting === 'restart' || next === 'restart' || waiting === undefined) return waiting === 'restart' ? waiting : next;
  const union = (a: string[], b: string[]) => [...new Set([...a, ...b])];
  return { reload: waiting.reload || next.reload, tests: union(waiting.tests, next.tests), probes: union(waiting.probes, next.probes), why: `${waiting.why}; ${next.why}` };
}

/** The staged copy made again from the user's files (what changed, what was deleted): the reload imports these. */
async function refreshStagedCopy(plan: SessionPlan): Promise<void> {
  await rm(plan.addon.path, { recursive: true, force: true });
  await copyAddonFiles(plan.addon.source.root, plan.addon.path);
}
