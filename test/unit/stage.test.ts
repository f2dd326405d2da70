import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stageAddon } from '../../src/addon/stage.js';

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'bg-stage-'));
}

async function packageAddon(parent: string, name: string): Promise<string> {
  const dir = path.join(parent, name);
  await mkdir(path.join(dir, '__pycache__'), { recursive: true });
  await writeFile(path.join(dir, '__init__.py'), 'bl_info = {"name": "x"}\n');
  await writeFile(path.join(dir, 'server.py'), '');
  await writeFile(path.join(dir, '__pycache__', 'junk.pyc'), '');
  return dir;
}

describe('stageAddon into an isolated profile', () => {
  it('copies a package folder, without caches, and names the module after it', async () => {
    const source = await packageAddon(await tempDir(), 'my_addon');
    const profile = await tempDir();
    const staged = await stageAddon(source, undefined, profile);
    expect(staged).toMatchObject({ module: 'my_addon', kind: 'package' });
    expect(staged.userDirs.scripts).toBe(path.join(profile, 'scripts'));
    expect((await readdir(path.join(profile, 'scripts', 'addons', 'my_addon'))).sort()).toEqual(['__init__.py', 'server.py']);
  });

  it('copies a single .py file', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'one_file.py'), 'bl_info = {}\n');
    const profile = await tempDir();
    expect(await stageAddon(path.join(dir, 'one_file.py'), undefined, profile)).toMatchObject({ module: 'one_file', kind: 'file' });
    expect(await readdir(path.join(profile, 'scripts', 'addons'))).toEqual(['one_file.py']);
  });

  it('unzips a zipped package folder', async () => {
    const dir = await tempDir();
    await packageAddon(dir, 'zipped_addon');
    execFileSync('zip', ['-qr', 'addon.zip', 'zipped_addon'], { cwd: dir });
    const profile = await tempDir();
    expect(await stageAddon(path.join(dir, 'addon.zip'), 'override', profile)).toMatchObject({ module: 'override', kind: 'zip' });
    expect(await readdir(path.join(profile, 'scripts', 'addons'))).toEqual(['zipped_addon']);
  });

  it('refuses a zip of the addon’s contents, a folder that is no package, and other files', async () => {
    const dir = await tempDir();
    const source = await packageAddon(dir, 'flat');
    execFileSync('zip', ['-qr', path.join(dir, 'flat.zip'), '.'], { cwd: source });
    await mkdir(path.join(dir, 'not_a_package'));
    await writeFile(path.join(dir, 'addon.txt'), '');
    const profile = await tempDir();
    await expect(stageAddon(path.join(dir, 'flat.zip'), undefined, profile)).rejects.toThrow("has __init__.py at its top; zip the addon's folder, not its contents.");
    await expect(stageAddon(path.join(dir, 'not_a_package'), undefined, profile)).rejects.toThrow('is a folder without __init__.py, so it is not a Python package.');
    await expect(stageAddon(path.join(dir, 'addon.txt'), undefined, profile)).rejects.toThrow('is not a folder, a .py file or a .zip.');
  });
});
