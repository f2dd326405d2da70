import { mkdirSync, mkdtempSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { BlenderLog } from '../../../src/session/blender-log.js';
import { createRunDir, removeRunDir } from '../../../src/session/run-dir.js';

const mode = (file: string) => statSync(file).mode & 0o777;
const freshTmp = () => mkdtempSync(path.join(os.tmpdir(), 'bg-rundir-'));

describe.runIf(process.platform !== 'win32')('run directories on real files', () => {
  it('each run gets a new 0700 directory in a 0700 base, and its log is 0600', async () => {
    const dir = path.join(freshTmp(), 'blender-bg-action');
    const [a, b] = [await createRunDir({ dir, setBy: 'TMPDIR' }), await createRunDir({ dir, setBy: 'TMPDIR' })];
    expect(a.root).not.toBe(b.root);
    expect(a.runId).not.toBe(b.runId);
    for (const folder of [dir, a.root, a.tmp, a.logsDir]) expect(mode(folder), folder).toBe(0o700);
    const log = new BlenderLog(a.logFile, () => {});
    log.write('hello\n');
    await log.close();
    expect(mode(a.logFile)).toBe(0o600);
    await removeRunDir(a);
    await removeRunDir(b);
  });

  it('refuses a base that is a symbolic link (it could point anywhere another user chose)', async () => {
    const tmp = freshTmp();
    mkdirSync(path.join(tmp, 'elsewhere'), { mode: 0o700 });
    const dir = path.join(tmp, 'blender-bg-action');
    symlinkSync(path.join(tmp, 'elsewhere'), dir);
    await expect(createRunDir({ dir, setBy: 'TMPDIR' })).rejects.toThrow(
      new UserError(`${dir} is a symbolic link, so another user could swap the files of a run; remove it, or point TMPDIR at a folder of your own.`),
    );
  });
});
