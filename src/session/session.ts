import { randomBytes } from 'node:crypto';
import { sourceFolder, sourceName } from '../addon/source-map.js';
import type { StagedAddon } from '../addon/staged-addon.js';
import type { Installation } from '../blender/installation.js';
import { BlenderLog } from './blender-log.js';
import { requestDriverShutdown } from './control-shutdown.js';
import { keepCrashReport } from './crash-report.js';
import { DRIVER_EXIT, type ReadyInfo, driverScriptPath, readStopRecord, writeDriverConfig } from './driver-protocol.js';
import { type BlenderProcess, launchBlender } from './launch.js';
import { type LeftoverProcess, descendantsOf, findLeftovers, killLeftovers } from './leftovers.js';
import { orphanGuard } from './orphan-guard.js';
import { requirePortFree } from './port-owner.js';
import { waitForReady } from './ready.js';
import type { RunDir } from './run-dir.js';
import { type StopBy, type StopResult, stopBlender } from './teardown.js';

export interface SessionOptions {
  installation: Installation;
  addon: StagedAddon;
  runDir: RunDir;
  startup: string | undefined;
  pump: string | undefined;
  pumpIntervalMs: number;
  pumpWake: boolean;
  /** the whole environment Blender gets (blender/invocation.ts: isolated profile, run id, TMPDIR) */
  environment: Record<string, string>;
  /** flags before --python: the version's own (online access), the blender-args input, the .blend */
  flags: string[];
  /** folders put first on Blender's sys.path before the add-on is enabled (python-packages) */
  pythonPaths?: string[];
  /** measure the add-on's files with coverage.py (into the run dir's coverage files) */
  coverage?: boolean;
  /** name what unregister() leaves in Blender (unregister-check not off), with this grace for threads and ports */
  unregisterCheck?: { graceMs: number };
  host: string;
  port: number | undefined;
  startupTimeoutMs: number;
  shutdownTimeoutMs: number;
  /** each line of Blender's output, live */
  onOutput: (line: string) => void;
  /** how to ask Blender to stop: teardown.ts DEFAULT_STOP_BY unless a test says otherwise */
  stopBy?: StopBy;
  /** count what the add-on draws (the ready file's uiTargets): the UI check starts only when there is some */
  countUi?: boolean;
}

/**
 * A Blender made ready to start: which one, the staged add-on, the run's folders, its
 * environment, flags and python paths. The session's Blender and the UI check's start from the
 * same one (the SessionPlan carries it).
 */
export type PreparedBlender = Required<Pick<SessionOptions, 'installation' | 'addon' | 'runDir' | 'environment' | 'flags' | 'pythonPaths'>>;

export interface TeardownReport extends StopResult {
  leftovers: LeftoverProcess[];
  /** leftovers that were still there after SIGKILL (e.g. zombies nobody reaps) */
  unkillable: LeftoverProcess[];
  /** Blender's crash report, moved next to the log (it crashed) */
  crashReport: string | undefined;
}

/** One headless Blender serving the add-on: start → ready → stop. */
export class Session {
  private stopped: Promise<TeardownReport> | undefined;
  private readyInfo: ReadyInfo | undefined;

  private constructor(
    private readonly options: SessionOptions,
    readonly log: BlenderLog,
    readonly blender: BlenderProcess,
    private readonly controlToken: string,
  ) {}

  static async start(options: SessionOptions): Promise<Session> {
    const { runDir, addon } = options;
    if (options.port !== undefined) await requirePortFree(options.host, options.port);
    const controlToken = randomBytes(24).toString('hex');
    await writeDriverConfig(runDir.driverConfig, {
      addon_module: addon.module,
      addon_source_name: sourceName(addon),
      addon_path: addon.path,
      addon_kind: addon.kind === 'extension' ? 'extension' : 'legacy',
      addon_source_folder: sourceFolder(addon),
      python_paths: options.pythonPaths ?? [],
      extension_repository: addon.repository && !addon.repository.builtIn ? { module: addon.repository.module, directory: addon.repository.directory } : null,
      startup: options.startup ?? null,
      pump: options.pump ?? null,
      pump_interval: options.pumpIntervalMs / 1000,
      pump_wake: options.pumpWake,
      ready_file: runDir.readyFile,
      control_token: controlToken,
      stop_file: runDir.stopFile,
      deprecations_file: runDir.deprecationsFile,
      coverage: options.coverage ? { data_file: runDir.coverage.dataFile, json_file: runDir.coverage.jsonFile } : null,
      addon_port: options.port ?? null,
      addon_host: options.host,
      addon_errors_file: runDir.addonErrorsFile,
      unregister_check: options.unregisterCheck !== undefined,
      unregister_grace: (options.unregisterCheck?.graceMs ?? 0) / 1000,
      count_ui: options.countUi ?? false,
    });
    const log = new BlenderLog(runDir.logFile, options.onOutput);
    orphanGuard.tag(runDir.runId); // what leaves Blender's group still carries the run id
    const blender = launchBlender({
      executable: options.installation.executable,
      args: [
        '--background',
        '--factory-startup',
        ...options.flags,
        '--python-exit-code',
        String(DRIVER_EXIT.driverCrashed),
        '--python',
        driverScriptPath(),
        '--',
        runDir.driverConfig,
      ],
      env: options.environment,
      log,
    });
    return new Session(options, log, blender, controlToken);
  }

  async ready(signal?: AbortSignal): Promise<ReadyInfo> {
    const { options } = this;
    this.readyInfo = await waitForReady({
      process: this.blender,
      log: this.log,
      readyFile: options.runDir.readyFile,
      addonModule: options.addon.module,
      host: options.host,
      port: options.port,
      timeoutMs: options.startupTimeoutMs,
      signal,
    });
    return this.readyInfo;
  }

  /** The driver's control channel, once ready (for `blender` steps and Windows shutdown). */
  get control(): { host: string; port: number; token: string } | undefined {
    const port = this.readyInfo?.controlPort;
    return port ? { host: '127.0.0.1', port, token: this.controlToken } : undefined;
  }

  /**
   * Safe to call more than once. `graceMs` shortens the wait before SIGKILL below
   * shutdown-timeout (a cancelled job has only seconds before the runner kills us).
   */
  stop(graceMs = this.options.shutdownTimeoutMs): Promise<TeardownReport> {
    this.stopped ??= this.teardown(Math.min(graceMs, this.options.shutdownTimeoutMs));
    return this.stopped;
  }

  private async teardown(graceMs: number): Promise<TeardownReport> {
    const control = this.control;
    const { runDir } = this.options;
    const askToStop = control ? () => requestDriverShutdown(control.port, control.token) : undefined;
    // Who is below Blender now: once it exits, its orphans belong to init and ancestry is lost.
    const below = this.blender.hasExited() ? [] : await descendantsOf(this.blender.pid);
    const stop = await stopBlender(this.blender, {
      shutdownTimeoutMs: graceMs,
      stopBy: this.options.stopBy,
      askToStop,
      readRecord: () => readStopRecord(runDir.stopFile),
    });
    const run = { runId: runDir.runId, blenderPid: this.blender.pid, descendants: [...below, ...(stop.record.descendants ?? [])] };
    const leftovers = await findLeftovers(run);
    const unkillable = leftovers.length > 0 ? await killLeftovers(run, leftovers) : [];
    this.blender.release();
    await this.log.close();
    const crashReport = stop.exit.signal ? await keepCrashReport(runDir.tmp, runDir.logsDir, runDir.runId) : undefined;
    return { ...stop, leftovers, unkillable, crashReport };
  }
}
