import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import type { BlenderProcess, ExitInfo } from './launch.js';

export interface StopResult {
  /** Blender exited 0 by itself after SIGTERM, within the shutdown timeout. */
  graceful: boolean;
  /** Blender had to be SIGKILLed (or taskkilled) after the timeout. */
  killed: boolean;
  /** Blender was already gone before teardown started (it crashed or exited early). */
  exitedEarly: boolean;
  exit: ExitInfo;
  durationMs: number;
}

/**
 * POSIX: SIGTERM Blender alone (its addon must clean up its own children; the leftover
 * scan checks that it did), then SIGKILL the whole group after `shutdownTimeoutMs`.
 * Windows has no SIGTERM: the driver's control channel asks it to stop (`askToStop`),
 * then taskkill /T /F after the timeout.
 */
export async function stopBlender(blender: BlenderProcess, shutdownTimeoutMs: number, askToStop?: () => Promise<void>): Promise<StopResult> {
  const started = performance.now();
  const finish = (exit: ExitInfo, killed: boolean, exitedEarly: boolean): StopResult => ({
    graceful: !killed && !exitedEarly && exit.exitCode === 0,
    killed,
    exitedEarly,
    exit,
    durationMs: performance.now() - started,
  });

  if (blender.hasExited()) return finish(await blender.exited, false, true);

  const windows = process.platform === 'win32';
  if (windows) await askToStop?.().catch(() => {});
  else signal(blender.pid, 'SIGTERM');

  const timedOut = Symbol('timed out');
  const stopWaiting = new AbortController();
  const first = await Promise.race([
    blender.exited,
    sleep(shutdownTimeoutMs, timedOut, { signal: stopWaiting.signal }).catch(() => timedOut),
  ]);
  stopWaiting.abort();
  if (first !== timedOut) return finish(first as ExitInfo, false, false);

  if (windows) await execa('taskkill', ['/pid', String(blender.pid), '/T', '/F'], { reject: false });
  else signal(-blender.pid, 'SIGKILL'); // the negative pid names the process group
  return finish(await blender.exited, true, false);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // ESRCH: it exited between our check and the signal
  }
}
