import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirs } from '../../src/make-dirs.js';

describe('makeDirs: a folder and its missing parents, one level at a time', () => {
  it('makes every missing level; a folder that exists is fine', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'bg-dirs-'));
    const deep = path.join(root, 'a', 'b', 'c');
    await makeDirs(deep);
    expect((await stat(deep)).isDirectory()).toBe(true);
    await makeDirs(deep);
  });

  it('a part of the path that is a file: ENOTDIR', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'bg-dirs-'));
    await writeFile(path.join(root, 'file'), 'x');
    await expect(makeDirs(path.join(root, 'file', 'sub'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('under /proc it fails at once with that level’s error (recursive mkdir there never returns)', async () => {
    await expect(makeDirs('/proc/blender-bg-action/x/y')).rejects.toMatchObject({ code: expect.stringMatching(/^(ENOENT|EACCES|EPERM)$/) });
  });
});
