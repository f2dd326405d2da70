import { execa } from 'execa';
import type { StopRecord } from './driver-protocol.js';
import { type BlenderProcess, type ExitInfo, exitWithin } from './launch.js';

/** How Blender's end went, as the verdict and reports word it (report/teardown-sentences.ts). */
export type StopKind =
  /** alive when asked to stop; the driver saw the request, disabled the add-on, then Blender exited 0 */
  | 'graceful'
  /** ended before anyone asked it to stop: a crash, or an add-on that exited the process */
  | 'early'
  /** did not exit within shutdown-timeout after the request, and was killed */
  | 'killed'
  /** asked to stop, but did not end the way a clean stop does (a code, a signal, an unfinished stop) */
  | 'unclean';

export interface StopResult {
  kind: StopKind;
  /** the driver's own account (session/driver-protocol.ts); empty when it never saw a stop request */
  record: StopRecord;
  exit: ExitInfo;
  durationMs: number;
}

/** How the stop is asked for: SIGTERM on POSIX; the control channel where there is none (Windows). */
export type StopBy = 'signal' | 'control';

const DEFAULT_STOP_BY: StopBy = process.platform === 'win32' ? 'control' : 'signal';

export interface StopOptions {
  shutdownTimeoutMs: number;
  /** DEFAULT_STOP_BY; tests run Windows' way on Linux to prove it (integration/stop-by-control) */
  stopBy?: StopBy;
  /** Windows: the driver's control channel asks it to stop, as SIGTERM does elsewhere */
  askToStop?: () => Promise<void>;
  readRecord: () => Promise<StopRecord>;
}

/**
 * POSIX: SIGTERM Blender alone (its add-on must clean up its own children; the leftover
 * scan checks that it did), then SIGKILL the whole group after `shutdownTimeoutMs`.
 * Windows has no SIGTERM: the driver's control channel asks it to stop (`askToStop`),
 * then taskkill /T /F after the timeout.
 *
 * Whether Blender had already ended is not asked of Node (its exit event may not have been
 * handled yet, and a signal to an unreaped pid "succeeds"): the driver's stop record says
 * whether our request reached it.
 */
export async function stopBlender(blender: BlenderProcess, options: StopOptions): Promise<StopResult> {
  const started = performance.now();
  const knownGone = blender.hasExited();
  let killed = false;
  if (!knownGone) killed = await requestStop(blender, options);
  const exit = await blender.exited;
  const record = await options.readRecord();
  return { kind: classifyStop({ exit, record, knownGone, killed }), record, exit, durationMs: performance.now() - started };
}

/** Sends the stop request, waits, kills after the timeout. Returns whether it had to kill. */
async function requestStop(blender: BlenderProcess, options: StopOptions): Promise<boolean> {
  const byControl = (options.stopBy ?? DEFAULT_STOP_BY) === 'control';
  if (byControl) await options.askToStop?.().catch(() => {});
  else signal(blender.pid, 'SIGTERM');

  if (await exitWithin(blender, options.shutdownTimeoutMs)) return false;

  await killProcessGroup(blender.pid);
  return true;
}

/** SIGKILL to the process group `pid` leads (Windows: taskkill /T /F, its tree). */
export async function killProcessGroup(pid: number): Promise<void> {
  // Quietly: taskkill's own lines are not the user's (they showed in CLI terminals).
  if (process.platform === 'win32') await execa('taskkill', ['/pid', String(pid), '/T', '/F'], { stdin: 'ignore', reject: false });
  else signal(-pid, 'SIGKILL'); // the negative pid names the process group
}

export interface StopFacts {
  exit: ExitInfo;
  record: StopRecord;
  /** Node had seen Blender's exit before teardown began */
  knownGone: boolean;
  killed: boolean;
}

/**
 * Graceful means: Blender was alive when we asked it to stop, the driver saw the request
 * and finished its stop, and Blender then exited 0. An exit the driver never saw a request
 * for is early, whatever its code; SIGTERM itself killing Blender (before the driver could
 * handle it, during startup) is an unclean stop, not an early one.
 */
export function classifyStop({ exit, record, knownGone, killed }: StopFacts): StopKind {
  if (killed) return 'killed';
  const requestSeen = record.stopping !== undefined;
  if (knownGone || (!requestSeen && exit.signal !== 'SIGTERM')) return 'early';
  return requestSeen && record.clean === true && exit.exitCode === 0 ? 'graceful' : 'unclean';
}

/** A signal to `pid` (negative: its group) that may be gone already. */
export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // ESRCH: it is gone already
  }
}
