import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pythonScriptPath } from '../package-files.js';

/** Exit codes of the driver (python/blender_bg/driver/protocol.py); keep the two in step. */
export const DRIVER_EXIT = {
  configInvalid: 70,
  addonEnableFailed: 71,
  startupFailed: 72,
  pumpInvalid: 73,
  /** the add-on enabled, but from somewhere else than the staged copy (a bundled add-on) */
  addonNotStaged: 75,
  /** the coverage input, but coverage.py is not importable in Blender's Python */
  coverageMissing: 76,
  /** Given to Blender as --python-exit-code: an uncaught exception in the driver itself. */
  driverCrashed: 74,
} as const;

/** The driver's config file, written into the run's private dir (mode 0600). */
export interface DriverConfig {
  addon_module: string;
  /** the user's folder (or .py file) name it was staged from: what a suite may call it (pytest-blender's fixtures) */
  addon_source_name: string;
  /** the staged copy: the add-on must load from here (a bundled add-on of the same name must not) */
  addon_path: string;
  addon_kind: 'legacy' | 'extension';
  /** the user's folder it was staged from, when it is one (a package, an extension folder; not a
   * file or a zip): test files inside it run as the add-on's submodules, from the staged copy */
  addon_source_folder: string | null;
  /** put first on sys.path before the add-on is enabled (python-packages) */
  python_paths: string[];
  /** an extension repository a fresh profile lacks (extension-repository): made before enabling */
  extension_repository: { module: string; directory: string } | null;
  startup: string | null;
  pump: string | null;
  /** seconds, as Python's time module counts */
  pump_interval: number;
  /** run the pump when a non-main thread starts waiting (threading.Condition.wait) */
  pump_wake: boolean;
  ready_file: string;
  /** required in every control-channel request; the config file is private (0600) */
  control_token: string;
  /** where the driver writes its StopRecord */
  stop_file: string;
  /** where the driver records deprecation warnings (python/blender_bg/health/deprecations.py) */
  deprecations_file: string;
  /** coverage of the staged copy (python/blender_bg/health/coverage_session.py), or null without the coverage input */
  coverage: { data_file: string; json_file: string } | null;
  /** the add-on's port: a unit test connecting to it from the main thread is refused (it would hang) */
  addon_port: number | null;
  /** the host it listens on: after unregister(), the port must be free to bind there again */
  addon_host: string;
  /** where the driver records the exceptions the add-on's code raised in the background (JSON lines) */
  addon_errors_file: string;
  /** snapshot Blender before the add-on is enabled, and name what unregister() leaves behind */
  unregister_check: boolean;
  /** seconds the add-on's threads, ports, sockets, tasks and processes may take to end after unregister() */
  unregister_grace: number;
  /** count what the add-on draws (ui-check): the ready file's uiTargets */
  count_ui: boolean;
}

/** A process below Blender when the driver finished stopping; `start` tells a reused pid apart. */
export interface Descendant {
  pid: number;
  /** start time in clock ticks since boot (/proc/PID/stat field 22); unknown outside Linux */
  start?: number;
}

/**
 * What the driver writes as it stops. A missing record means it never saw a stop request:
 * whatever ended Blender, it was not us.
 */
export interface StopRecord {
  /** the stop request it received: "SIGTERM", "control shutdown" */
  stopping?: string;
  /** the add-on was disabled and the loop closed: all that is left is Blender's own exit */
  clean?: boolean;
  /** Linux: processes still below Blender (a child subreaper) after the add-on was disabled */
  descendants?: Descendant[];
  /** what unregister() left in Blender (unregister_check), written once the add-on is disabled */
  leftovers?: LeftoverRecord[];
  /** Blender's memory and CPU time after the add-on was disabled (its peak over the whole session) */
  usage?: Usage;
  /** what the unregister check cost, in ms: the snapshot before enable, the last comparison */
  checkTimings?: { snapshotMs: number | null; compareMs: number | null } | null;
}

/** Blender's memory and CPU time, as the driver measures them (python/blender_bg/health/memory.py); null: unknown here. */
export interface Usage {
  rssBytes: number | null;
  peakRssBytes: number | null;
  cpuSeconds: number;
}

/** A place in the add-on's code as the driver names it: the staged copy's file. */
interface DriverPlace {
  file: string | null;
  line: number | null;
  function: string | null;
}
export const DRIVER_PLACE_FIELDS = ['file', 'line', 'function'] as const;

/**
 * Something the add-on left in Blender after unregister() (python/blender_bg/health/state.py):
 * kind is handler, timer, class, property, draw, keymap, thread, port, socket, task or process.
 */
export interface LeftoverRecord extends DriverPlace {
  kind: string;
  /** "load_post handler on_load", "port 127.0.0.1:7301" */
  name: string;
  /** "still running", "still listening" */
  detail?: string;
  /** the thread that holds a port still listening, and where it is in the add-on's code */
  holder?: LeftoverRecord;
  /** the same keymap item more than once */
  count?: number;
  /** unknown: made since the add-on was enabled, but whose it is cannot be told (another add-on enabled since, the tests): said, not counted */
  owner?: 'unknown';
}

/**
 * An exception the add-on's code raised where no test or probe saw it (python/blender_bg/health/errors.py):
 * kind is timer, callback, thread, asyncio, unraisable, pump, register or unregister; the place
 * is the innermost frame in the add-on's files. One line per distinct error, the last one wins
 * (its final count).
 */
export interface AddonErrorRecord extends DriverPlace {
  kind: string;
  /** "load_post handler on_load", "thread 'sloppy-worker'" */
  where: string;
  /** the exception's last line: "ZeroDivisionError: division by zero" */
  message: string;
  traceback: string;
  count: number;
}

/** The control channel's answer to `reload`: one reload-check cycle. */
export interface ReloadReply {
  leftovers: LeftoverRecord[];
  enabled: boolean;
  /** why it did not enable again (its register() raised, the startup snippet raised) */
  problem: string | null;
  usage: Usage;
  /** with count_ui: what the add-on draws now (the ready file's uiTargets, after the reload) */
  uiTargets?: number | null;
}

export async function readStopRecord(file: string): Promise<StopRecord> {
  try {
    const record: unknown = JSON.parse(await readFile(file, 'utf8'));
    return typeof record === 'object' && record !== null ? record : {};
  } catch {
    return {}; // never written: Blender ended before anyone asked it to stop
  }
}

/** What the driver writes to the ready file once the add-on is enabled and started. */
export interface ReadyInfo {
  pid: number;
  /** loopback port of the driver's control channel (null without background mode) */
  controlPort: number | null;
  blenderVersion: string;
  pythonVersion: string;
  addonModule: string;
  /** the file the add-on's module was loaded from (inside the staged copy) */
  addonFile: string;
  /** Blender's memory and CPU time once ready */
  usage?: Usage;
  /** with count_ui: how many panels, menus, headers, lists, preferences and appended draw functions the add-on registered */
  uiTargets?: number | null;
}

/** The control channel's operations (python/blender_bg/driver/control.py ControlChannel.receive). */
export type ControlOp = 'eval' | 'exec' | 'shutdown' | 'tests' | 'reload' | 'stats' | 'render';
export const CONTROL_OPS: readonly ControlOp[] = ['eval', 'exec', 'shutdown', 'tests', 'reload', 'stats', 'render'];

/** A snapshot render, as the driver's render op takes it (python/blender_bg/rendering/render.py). */
export interface RenderSpec {
  scene?: string;
  camera?: string;
  /** CYCLES (default), EEVEE or WORKBENCH */
  engine?: string;
  resolution?: [number, number];
  samples?: number;
  /** Python run after the deterministic settings, before the render */
  setup?: string;
}

/** What the render op answers: the PNG it wrote. */
export interface Rendered {
  path: string;
  width: number;
  height: number;
  engine: string;
  seconds: number;
}

/**
 * One control-channel request, as the line the driver reads: a JSON object with the token
 * (every line carries it; the driver answers nothing before a line does) and the op.
 */
export function controlRequestLine(token: string, op: ControlOp, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...fields, token, op });
}

export async function writeDriverConfig(file: string, config: DriverConfig): Promise<void> {
  await writeFile(file, JSON.stringify(config, null, 2), { mode: 0o600 });
}

/** The keep-alive driver Blender runs as its --python script (it imports the blender_bg package beside it). */
export function driverScriptPath(): string {
  return pythonScriptPath('blender_bg_driver.py');
}

/** The driver's package (python/blender_bg/): one module per concern. */
export function driverPackagePath(): string {
  return path.join(path.dirname(driverScriptPath()), 'blender_bg');
}
