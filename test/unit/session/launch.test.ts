import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BlenderLog } from '../../../src/session/blender-log.js';
import { launchBlender } from '../../../src/session/launch.js';

/** Open pipe handles in this process: each keeps Node from exiting while it is open. */
const openPipes = () => process.getActiveResourcesInfo().filter((name) => name === 'PipeWrap').length;

describe.runIf(process.platform !== 'win32')('launchBlender, with a real process', () => {
  it('release() lets go of output pipes a leftover still holds, so the CLI and the action can exit', async () => {
    const log = new BlenderLog(path.join(mkdtempSync(path.join(os.tmpdir(), 'bg-launch-')), 'out.log'), () => {});
    const before = openPipes();
    // The "Blender" exits at once; the sleep it started keeps its stdout and stderr open.
    const seconds = String(200_000 + Math.floor(Math.random() * 100_000));
    const process_ = launchBlender({ executable: 'sh', args: ['-c', `sleep ${seconds} & echo started`], env: {}, log });
    expect(await process_.exited).toMatchObject({ exitCode: 0 });
    await sleep(100);
    expect(openPipes()).toBeGreaterThan(before); // held open by the sleep: Node would wait on it

    process_.release();
    await sleep(100);
    expect(openPipes()).toBe(before);
    await log.close();
    process.kill(-process_.pid, 'SIGKILL'); // the sleep, in the "Blender"'s own process group
  });
});
