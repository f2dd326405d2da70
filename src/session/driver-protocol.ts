import { readFile, writeFile } from 'node:fs/promises';
import { pythonScriptPath } from '../package-files.js';

/** Exit codes of python/blender_bg_driver.py; keep the two in step. */
export const DRIVER_EXIT = {
  configInvalid: 70,
  addonEnableFailed: 71,
  startupFailed: 72,
  pumpInvalid: 73,
  /** the addon enabled, but from somewhere else than the staged copy (a bundled add-on) */
  addonNotStaged: 75,
  /** the coverage input, but coverage.py is not importable in Blender's Python */
  coverageMissing: 76,
  /** Given to Blender as --python-exit-code: an uncaught exception in the driver itself. */
  driverCrashed: 74,
} as const;

/** The driver's config file, written into the run's private dir (mode 0600). */
export interface DriverConfig {
  addon_module: string;
  /** the staged copy: the addon must load from here (a bundled add-on of the same name must not) */
  addon_path: string;
  addon_kind: 'legacy' | 'extension';
  /** put first on sys.path before the addon is enabled (python-packages) */
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
  /** where the driver records deprecation warnings (python/blender_bg_deprecations.py) */
  deprecations_file: string;
  /** coverage of the staged copy (python/blender_bg_coverage.py), or null without the coverage input */
  coverage: { data_file: string; json_file: string } | null;
  /** the addon's port: a unit test connecting to it from the main thread is refused (it would hang) */
  addon_port: number | null;
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
  /** the addon was disabled and the loop closed: all that is left is Blender's own exit */
  clean?: boolean;
  /** Linux: processes still below Blender (a child subreaper) after the addon was disabled */
  descendants?: Descendant[];
}

export async function readStopRecord(file: string): Promise<StopRecord> {
  try {
    const record: unknown = JSON.parse(await readFile(file, 'utf8'));
    return typeof record === 'object' && record !== null ? (record as StopRecord) : {};
  } catch {
    return {}; // never written: Blender ended before anyone asked it to stop
  }
}

/** What the driver writes to the ready file once the addon is enabled and started. */
export interface ReadyInfo {
  pid: number;
  /** loopback port of the driver's control channel (null without background mode) */
  controlPort: number | null;
  blenderVersion: string;
  pythonVersion: string;
  addonModule: string;
  /** the file the addon's module was loaded from (inside the staged copy) */
  addonFile: string;
}

/** The control channel's operations (python/blender_bg_driver.py ControlChannel.receive). */
export type ControlOp = 'eval' | 'exec' | 'shutdown' | 'tests';
export const CONTROL_OPS: readonly ControlOp[] = ['eval', 'exec', 'shutdown', 'tests'];

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

/** The keep-alive driver Blender runs as its --python script. */
export function driverScriptPath(): string {
  return pythonScriptPath('blender_bg_driver.py');
}
