import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type UserPaths, sourceName, userPaths } from '../addon/source-map.js';
import { RUN_ID_VARIABLE } from '../blender/invocation.js';
import { formatDuration } from '../duration.js';
import { UserError, errorMessage } from '../errors.js';
import { makeDirs } from '../make-dirs.js';
import { pythonScriptPath } from '../package-files.js';
import { BlenderLog } from '../session/blender-log.js';
import { keepCrashReport } from '../session/crash-report.js';
import { commandLeftovers, runnerEnvironment } from '../session/command-group.js';
import { type BlenderProcess, type ExitInfo, describeExit, exitWithin, exitedWithin, launchBlender } from '../session/launch.js';
import { type UnitTestOutcome, type UnitTestRun, runUnitTests, testResult } from '../addon-tests/run.js';
import type { StepResult } from '../probes/results.js';
import { FileEventSource } from './test-events.js';
import type { LeftoverProcess } from '../session/leftovers.js';
import type { PreparedBlender } from '../session/session.js';
import { killProcessGroup } from '../session/teardown.js';
import type { UiCheckPlan } from './plan.js';
import { type Rgba, changedBox, croppedPng, readXwd } from './screenshots.js';
import { type UiEvent, drawInProgress, parseUiEvents } from './ui-events.js';
import { type UiPassProblem, type UiReport, type UiReportContext, uiReportOf } from './ui-report.js';
import { VirtualDisplay } from './virtual-display.js';
import { windowFailureSentence, windowTimeoutSentence } from './window-failure.js';
import { readPng } from '../snapshots/compare.js';

/** The processes of the UI check carry this value of the run-id variable: theirs, not the session's. */
function uiCheckTag(runId: string): string {
  return `${runId}-ui`;
}

/** How often the events file is read while Blender draws. */
const POLL_MS = 50;

/** The session's prepared Blender (its profile, environment and flags), and the ui- inputs. */
export interface UiCheckOptions extends PreparedBlender {
  plan: Extract<UiCheckPlan, { draw: true }>;
  /** the ui-setup input */
  setup: string | undefined;
  reloadCycles: number;
  /** the pictures' folder (ui-results) */
  resultsDir: string;
  /** how long the window may take to open, and the add-on to enable (startup-timeout) */
  startupTimeoutMs: number;
  /** how long one draw may take (probe-timeout) */
  drawTimeoutMs: number;
  shutdownTimeoutMs: number;
  /** more environment for that Blender (--watch: worker-env's port of its own, the session keeps the add-on's) */
  env?: Record<string, string>;
  /** which of the run's UI checks this is (--watch draws after each save): its folder and log are its own */
  round?: number;
  /** the add-on's test files that draw UI: run in that Blender, with its window, after the drawing */
  tests?: UiTests;
}

export interface UiTests extends Pick<UnitTestRun, 'files' | 'runner' | 'timeoutMs' | 'importPaths' | 'onWarning' | 'snapshots' | 'onSnapshot'> {
  installedOnly: boolean;
  onResult: (result: StepResult) => void;
}

interface Started {
  blender: BlenderProcess | undefined;
  /** when that Blender was launched: its window has startup-timeout from then */
  launchedAt: number;
  display: VirtualDisplay | undefined;
  /** the window could not be had: no display */
  problem: UiPassProblem | undefined;
}

/**
 * The UI check: a second Blender, with a window, on a display of the run's own, started beside
 * the session so its slow part (the window, OpenGL's shaders) is done while the session works.
 * It enables the add-on only once the session has stopped (`draw`), so the add-on's port is
 * free; then draws everything the add-on draws (python/blender_bg/ui/) and leaves.
 */
export class UiCheck {
  private readonly started: Promise<Started>;
  private readonly paths: ReturnType<typeof userPaths>;
  private readonly files: { config: string; events: string; go: string; images: string; tmp: string; tests: string };
  /** the test files that draw UI, once run */
  private tests: UnitTestOutcome | undefined;
  readonly log: BlenderLog;

  private constructor(private readonly options: UiCheckOptions) {
    const suffix = options.round ? `-${options.round}` : '';
    const root = path.join(options.runDir.root, `ui${suffix}`);
    this.files = {
      config: path.join(root, 'config.json'),
      events: path.join(root, 'events.jsonl'),
      go: path.join(root, 'go'),
      images: path.join(root, 'images'),
      tmp: path.join(root, 'tmp'),
      tests: path.join(root, 'tests.jsonl'),
    };
    this.paths = userPaths([options.addon]);
    this.log = new BlenderLog(path.join(options.runDir.logsDir, `ui-${options.runDir.runId}${suffix}.log`), () => {});
    this.started = this.start();
  }

  /** Starts the display and the Blender with a window; what goes wrong is told by draw(). */
  static begin(options: UiCheckOptions): UiCheck {
    return new UiCheck(options);
  }

  private async start(): Promise<Started> {
    const { options, files } = this;
    await mkdir(files.images, { recursive: true, mode: 0o700 });
    await mkdir(files.tmp, { recursive: true, mode: 0o700 });
    let display: VirtualDisplay | undefined;
    if (options.plan.display === 'virtual') {
      try {
        display = await VirtualDisplay.start({
          xvfb: options.plan.xvfb!,
          dir: path.join(options.runDir.root, 'display'),
          tag: uiCheckTag(options.runDir.runId),
          log: new BlenderLog(path.join(options.runDir.logsDir, `display-${options.runDir.runId}${options.round ? `-${options.round}` : ''}.log`), () => {}),
          timeoutMs: options.startupTimeoutMs,
          env: runnerEnvironment(), // the runner's: Xvfb needs nothing of the run's
        });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        return { blender: undefined, display: undefined, problem: { kind: 'window', message: error.message }, launchedAt: performance.now() };
      }
    }
    const { addon } = options;
    await writeFile(
      files.config,
      JSON.stringify({
        addon_module: addon.module,
        addon_source_name: sourceName(addon),
        addon_path: addon.path,
        addon_kind: addon.kind === 'extension' ? 'extension' : 'legacy',
        extension_repository: addon.repository && !addon.repository.builtIn ? { module: addon.repository.module, directory: addon.repository.directory } : null,
        python_paths: options.pythonPaths,
        events_file: files.events,
        go_file: files.go,
        images_dir: files.images,
        framebuffer: display?.framebuffer ?? null,
        ui_setup: options.setup ?? null,
        reload_cycles: options.reloadCycles,
        tests: options.tests
          ? {
              files: options.tests.files.map((f) => path.resolve(f)),
              runner: options.tests.runner,
              installed_only: options.tests.installedOnly,
              import_paths: options.tests.importPaths ?? [],
              events_file: files.tests,
            }
          : null,
      }),
      { mode: 0o600 },
    );
    const blender = launchBlender({
      executable: options.installation.executable,
      // --enable-event-simulate: the pass moves the pointer and presses ESC itself, and Blender takes no other input
      args: [
        '--factory-startup',
        '-noaudio',
        '--enable-event-simulate',
        ...options.flags,
        '--python',
        pythonScriptPath('blender_bg_ui.py'),
        '--',
        files.config,
      ],
      // its own TMPDIR: a crash report there is this Blender's
      env: {
        ...options.environment,
        ...options.env,
        ...display?.environment(),
        [RUN_ID_VARIABLE]: uiCheckTag(options.runDir.runId),
        TMPDIR: files.tmp,
        TEMP: files.tmp,
        TMP: files.tmp,
        WAYLAND_DISPLAY: undefined,
      },
      log: this.log,
    });
    return { blender, display, problem: undefined, launchedAt: performance.now() };
  }

  /**
   * Once the session has stopped: the add-on enabled and drawn, every Blender and display of
   * the check stopped and checked for leftovers, the pictures written. `sessionReady`: the
   * add-on became ready in the session (otherwise nothing is drawn: the session said why).
   */
  async draw(sessionReady: boolean, signal?: AbortSignal): Promise<UiCheckOutcome> {
    const { options, files } = this;
    const started = await this.started;
    const context: Omit<UiReportContext, 'images' | 'resultsDir'> = {
      paths: this.paths,
      failOnErrors: options.plan.failOnErrors,
      failOnNoWindow: options.plan.failOnNoWindow,
      reloadCycles: options.reloadCycles,
      logPath: this.log.path,
    };
    let watched: Watched = { events: [], problem: started.problem };
    if (started.blender && !started.problem) {
      if (!sessionReady || signal?.aborted) {
        watched.problem = { kind: 'not-run', message: signal?.aborted ? 'the run was cancelled' : 'the add-on never became ready in the session' };
      } else {
        await writeFile(files.go, '');
        watched = await this.watch(started.blender, started.launchedAt, signal);
      }
    }
    const leftovers = await this.stop(started);
    if (leftovers.length > 0)
      this.log.write(
        `[blender-bg] the UI check left ${leftovers.length} process(es), killed: ${leftovers.map((p) => `${p.pid} ${p.command}`).join('; ')}\n`,
        'stderr',
      );
    await this.log.close();
    const images = await this.pictures(watched.events);
    const report = uiReportOf(watched.events, { ...context, ...watched, images, resultsDir: options.resultsDir });
    return { report, tests: this.tests ?? (options.tests && sessionReady ? notRunHere(options.tests, report, this.paths) : undefined) };
  }

  /** The test files that draw UI, as that Blender runs them after drawing: results as the session's give them. */
  private runTests(blender: BlenderProcess, tests: UiTests, signal: AbortSignal | undefined): Promise<UnitTestOutcome> {
    const { options } = this;
    return runUnitTests(
      {
        files: tests.files,
        runner: tests.runner,
        timeoutMs: tests.timeoutMs,
        signal,
        installedOnly: tests.installedOnly,
        importPaths: tests.importPaths,
        onWarning: tests.onWarning,
        snapshots: tests.snapshots,
        onSnapshot: tests.onSnapshot,
        events: new FileEventSource(this.files.tests, () => blender.hasExited()),
        serverEnded: (graceMs) => exitedWithin(blender, graceMs),
        shownAs: (file: string) => userPaths([options.addon]).file(file),
      },
      tests.onResult,
    );
  }

  /** The events as Blender draws, until it is done, dies, hangs in a draw, or the run is cancelled. */
  private async watch(blender: BlenderProcess, launchedAt: number, signal: AbortSignal | undefined): Promise<Watched> {
    const { options } = this;
    const goAt = performance.now();
    // The window has startup-timeout from the launch (it comes up while the session works), and a few seconds after the go at least.
    const windowDeadline = Math.max(launchedAt + options.startupTimeoutMs, goAt + 5000);
    let drawing: { key: string; since: number } | undefined;
    for (;;) {
      let events = await this.readEvents();
      // The tests' events are read as they come (test-timeout, a crash named by the test), however far the pass has got.
      if (events.some((e) => e.event === 'testing') && options.tests && !this.tests) {
        this.tests = await this.runTests(blender, options.tests, signal);
        // A test that hung holds that Blender's main thread (or it died): the pass ends here, drawn.
        if (this.tests.sessionLost) return { events: await this.readEvents() };
        continue;
      }
      const done = events.find((e) => e.event === 'done');
      if (done) return { events, passMs: performance.now() - goAt };
      const open = drawInProgress(events);
      const key = open && JSON.stringify([open.cycle, open.draw, events.length]);
      if (open && drawing?.key !== key) drawing = { key: key!, since: performance.now() };
      if (!open) drawing = undefined;
      if (blender.hasExited()) {
        const exit = await blender.exited;
        events = await this.readEvents();
        const last = drawInProgress(events);
        if (!events.some((e) => e.event === 'window')) return { events, problem: { kind: 'window', message: await this.windowFailure(exit) } };
        const crashReport = exit.signal ? await keepCrashReport(this.files.tmp, options.runDir.logsDir, uiCheckTag(options.runDir.runId)) : undefined;
        if (last) return { events, died: { how: describeExit(exit), draw: last.draw, targets: last.targets, crashReport } };
        // Not in a draw: in the tests (their results say how), or before any draw (enabling the add-on).
        if (this.tests) return { events };
        const report = crashReport ? ` (its crash report: ${crashReport})` : '';
        return { events, problem: { kind: 'addon', message: `Blender ${describeExit(exit)} before it drew anything${report}; its log: ${this.log.path}` } };
      }

      if (open && drawing && performance.now() - drawing.since > options.drawTimeoutMs) {
        return { events, hang: { draw: open.draw, targets: open.targets, limitMs: options.drawTimeoutMs } };
      }
      if (!events.some((e) => e.event === 'window') && performance.now() > windowDeadline) {
        return {
          events,
          problem: { kind: 'window', message: windowTimeoutSentence(formatDuration(options.startupTimeoutMs), this.log.tail(40), this.log.path) },
        };
      }
      // Enabled and staged once the inventory is written (a problem says why not).
      if (!events.some((e) => e.event === 'inventory' || e.event === 'problem') && performance.now() - goAt > options.startupTimeoutMs) {
        return {
          events,
          problem: {
            kind: 'addon',
            message: `enabling the add-on with a window did not finish within ${formatDuration(options.startupTimeoutMs)} (startup-timeout)`,
          },
        };
      }
      if (signal?.aborted) return { events, problem: { kind: 'not-run', message: 'the run was cancelled' } };
      await sleep(POLL_MS);
    }
  }

  private async readEvents(): Promise<UiEvent[]> {
    return parseUiEvents(await readFile(this.files.events, 'utf8').catch(() => ''));
  }

  /** Why Blender left before its window opened, in the words that help: the library, the OpenGL it needs. */
  private async windowFailure(exit: ExitInfo): Promise<string> {
    await sleep(50); // its last lines
    return windowFailureSentence(describeExit(exit), this.log.tail(40), this.log.path);
  }

  /** Blender (it leaves by itself once done), its leftovers, then the display. */
  private async stop(started: Started): Promise<LeftoverProcess[]> {
    const { options } = this;
    const found: LeftoverProcess[] = [];
    if (started.blender) {
      if (!(await exitWithin(started.blender, 2000))) {
        await killProcessGroup(started.blender.pid);
        await exitWithin(started.blender, options.shutdownTimeoutMs);
      }
      started.blender.release();
      const { leftovers } = await commandLeftovers(uiCheckTag(options.runDir.runId), started.blender.pid, []);
      found.push(...leftovers);
    }
    if (started.display) {
      const stopped = await started.display.stop(options.shutdownTimeoutMs);
      found.push(...stopped.leftovers);
    }
    return found;
  }

  /** Each draw's picture of the run's pass as a PNG under ui-results: the popup cut out of the window. */
  private async pictures(events: UiEvent[]): Promise<Map<string, string>> {
    const images = new Map<string, string>();
    // A draw none of whose targets ran (their poll() was false) opened nothing: no picture of it.
    const ran = new Set(events.flatMap((e) => (e.event === 'target' && e.cycle === 0 && e.drawn ? [e.target.id] : [])));
    const recorded = events.some((e) => e.event === 'target');
    const drawn = events.filter(
      (e): e is Extract<UiEvent, { event: 'drawn' }> =>
        e.event === 'drawn' && e.cycle === 0 && e.image !== null && (!recorded || e.targets.some((t) => ran.has(t))),
    );
    if (drawn.length === 0) return images;
    try {
      await makeDirs(this.options.resultsDir);
      const baselines = new Map<string, Rgba | undefined>();
      for (const event of drawn) {
        const image = await readScreenshot(event.image!);
        if (!image) continue;
        let box: [number, number, number, number] | undefined = event.crop ?? undefined;
        if (!box && event.baseline) {
          if (!baselines.has(event.baseline)) baselines.set(event.baseline, await readScreenshot(event.baseline));
          const baseline = baselines.get(event.baseline);
          box = baseline ? changedBox(image, baseline) : undefined;
        }
        const file = path.join(this.options.resultsDir, `${path.basename(event.image!).replace(/\.(xwd|png)$/, '')}.png`);
        await writeFile(file, croppedPng(image, box));
        images.set(event.draw, file);
      }
    } catch (error) {
      this.log.write(`[blender-bg] the UI pictures could not be written to ${this.options.resultsDir}: ${errorMessage(error)}\n`, 'stderr');
    }
    return images;
  }
}

/**
 * Test files that draw the UI which this Blender never ran (no window, the add-on did not enable):
 * each a failed result saying why, never left out as if it had passed.
 */
function notRunHere(tests: UiTests, report: UiReport, paths: UserPaths): UnitTestOutcome {
  const why = report.problem?.message ?? 'the UI check ended before its tests';
  const results = tests.files.map((file) => {
    const shown = paths.file(path.resolve(file));
    return testResult(path.basename(file), shown, 1, false, { failure: `not run: it draws the UI, and the UI check's Blender did not run it: ${why}` });
  });
  for (const result of results) tests.onResult(result);
  return { results, notRun: [], runner: undefined, sessionLost: false, collected: 0, fileTimes: [] };
}

/** What the UI check came to: its report, and the results of the test files it ran (when it had some and got to them). */
export interface UiCheckOutcome {
  report: UiReport;
  tests: UnitTestOutcome | undefined;
}

interface Watched {
  events: UiEvent[];
  problem?: UiPassProblem | undefined;
  hang?: UiReportContext['hang'];
  died?: UiReportContext['died'];
  passMs?: number;
}

async function readScreenshot(file: string): Promise<Rgba | undefined> {
  const bytes = await readFile(file).catch(() => undefined);
  if (!bytes) return undefined;
  const image = file.endsWith('.xwd') ? readXwd(bytes) : readPng(bytes);
  return typeof image === 'string' ? undefined : image;
}
