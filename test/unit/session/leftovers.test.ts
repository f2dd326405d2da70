import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RUN_ID_VARIABLE } from '../../../src/blender/invocation.js';
import { describeLeftover, findLeftovers, killLeftovers } from '../../../src/session/leftovers.js';

// Real processes and signals: the scan reads the real process table (/proc on Linux).
describe.runIf(process.platform === 'linux')('leftover scan', () => {
  it('finds a process by the run id in its environment, even after setsid, and kills it', async () => {
    const runId = randomUUID();
    const tagged = spawn('sh', ['-c', 'setsid sleep 321 & sleep 322'], { env: { ...process.env, [RUN_ID_VARIABLE]: runId }, stdio: 'ignore' });
    const untagged = spawn('sleep', ['323'], { stdio: 'ignore' });
    await sleep(200);

    const found = await findLeftovers({ runId, blenderPid: -1, descendants: [] });
    expect(found.map((p) => p.command).sort()).toEqual(['sh -c setsid sleep 321 & sleep 322', 'sleep 321', 'sleep 322']);
    expect(found.every((p) => p.state === 'S')).toBe(true);
    expect(describeLeftover(found[0]!)).toMatch(/^pid \d+ \(state S\): /);

    expect(await killLeftovers({ runId, blenderPid: -1, descendants: [] }, found)).toEqual([]);
    expect((await findLeftovers({ runId, blenderPid: -1, descendants: [] })).filter((p) => p.state !== 'Z')).toEqual([]);
    expect(untagged.exitCode).toBeNull(); // not ours: left alone
    untagged.kill('SIGKILL');
    tagged.kill('SIGKILL');
  });

  it('finds a zombie (whose environment is gone) by its process group', async () => {
    // A parent that ignores its child's death: the child stays a zombie while the parent lives.
    const runId = randomUUID();
    const parent = spawn('python3', ['-c', 'import os, time, signal\npid = os.fork()\nif pid == 0: os._exit(0)\ntime.sleep(30)'], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, [RUN_ID_VARIABLE]: runId },
    });
    // python3 may be a shim (pyenv) that takes a while to become Python under load: wait for the zombie.
    let found = await findLeftovers({ runId, blenderPid: parent.pid!, descendants: [] });
    for (let waited = 0; waited < 10_000 && !(found.some((p) => p.state === 'Z') && found.length === 2); waited += 100) {
      await sleep(100);
      found = await findLeftovers({ runId, blenderPid: parent.pid!, descendants: [] });
    }
    expect(found).toEqual(
      expect.arrayContaining([expect.objectContaining({ pid: parent.pid, state: 'S' }), expect.objectContaining({ state: 'Z', command: '[python3]' })]),
    );
    expect(describeLeftover(found.find((p) => p.state === 'Z')!)).toMatch(/^pid \d+ \(zombie\): \[python3\]$/);
    expect(found).toHaveLength(2);
    expect(await killLeftovers({ runId, blenderPid: parent.pid!, descendants: [] }, found)).toEqual([]);
  });
});
