import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RUN_ID_VARIABLE } from '../../../src/blender/invocation.js';
import { OrphanGuard } from '../../../src/session/orphan-guard.js';

/** A process in a group of its own (what every Blender and command of a run is), with `env`. */
function groupLeader(env: Record<string, string> = {}): number {
  const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore', env: { ...process.env, ...env } });
  child.unref();
  return child.pid!;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await sleep(50);
  }
  return !alive(pid);
}

// Our death is the guard's pipe closing: closePipe() does exactly that without ending the test.
describe.skipIf(process.platform === 'win32')('OrphanGuard', () => {
  it('once our end of its pipe closes, every group still listed is ended', async () => {
    const guard = new OrphanGuard();
    const group = groupLeader();
    guard.watch(group);
    await sleep(100);
    expect(alive(group)).toBe(true);
    guard.closePipe();
    expect(await goneWithin(group, 4000)).toBe(true);
  });

  it('a group stopped and forgotten is left alone', async () => {
    const guard = new OrphanGuard();
    const [kept, listed] = [groupLeader(), groupLeader()];
    guard.watch(kept);
    guard.watch(listed);
    guard.forget(kept);
    guard.closePipe();
    expect(await goneWithin(listed, 4000)).toBe(true);
    expect(alive(kept)).toBe(true);
    process.kill(-kept, 'SIGKILL');
  });

  it.skipIf(process.platform !== 'linux')('a process that left its group but carries the run id (or a tag made from it) is found and killed', async () => {
    const guard = new OrphanGuard();
    const runId = `guard-test-${process.pid}`;
    const escaped = groupLeader({ [RUN_ID_VARIABLE]: `${runId}-ui` });
    const stranger = groupLeader({ [RUN_ID_VARIABLE]: `other-${runId}` });
    guard.tag(runId);
    guard.closePipe();
    expect(await goneWithin(escaped, 4000)).toBe(true);
    expect(alive(stranger)).toBe(true);
    process.kill(-stranger, 'SIGKILL');
  });
});
