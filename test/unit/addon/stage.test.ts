import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectAddon } from '../../../src/addon/inspect.js';
import { createUserDirs, legacyFileName, stageAddon } from '../../../src/addon/stage.js';
import { capabilitiesOf } from '../../../src/blender/capabilities.js';

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'bg-stage-'));
}

/** Stands in for a Blender that never runs: these paths copy files and call no Blender. */
const noBlender = (logFile: string, version: [number, number, number]) => ({
  executable: '/nonexistent/blender',
  version: version.join('.'),
  capabilities: { ...capabilitiesOf(version), commands: false },
  environment: {},
  logFile,
});

describe('stageAddon into an isolated profile', () => {
  it('creates the user folders, and copies a legacy package without its caches into scripts/addons', async () => {
    const dir = await tempDir();
    const source = path.join(dir, 'my_addon');
    await mkdir(path.join(source, '__pycache__'), { recursive: true });
    await writeFile(path.join(source, '__init__.py'), 'bl_info = {}\n');
    await writeFile(path.join(source, 'server.py'), '');
    await writeFile(path.join(source, '__pycache__', 'junk.pyc'), '');
    const userDirs = await createUserDirs(path.join(dir, 'profile'));

    const staged = await stageAddon(await inspectAddon(source, undefined, dir), userDirs, noBlender(path.join(dir, 'log'), [3, 4, 1]));
    expect(staged).toMatchObject({ module: 'my_addon', kind: 'package', installedBy: 'copied into scripts/addons' });
    expect((await readdir(path.join(userDirs.scripts, 'addons', 'my_addon'))).sort()).toEqual(['__init__.py', 'server.py']);
    expect(staged.path).toBe(path.join(userDirs.scripts, 'addons', 'my_addon'));
    expect(await readdir(userDirs.extensions)).toEqual([]);
  });

  it('places an extension in the user_default repository when Blender has no --command to install it with', async () => {
    const dir = await tempDir();
    const source = path.join(dir, 'src');
    await mkdir(path.join(source, '.git'), { recursive: true });
    await writeFile(
      path.join(source, 'blender_manifest.toml'),
      'schema_version = "1.0.0"\nid = "tool"\nversion = "1.0.0"\nname = "Tool"\ntagline = "A tool"\nmaintainer = "Me"\ntype = "add-on"\nblender_version_min = "4.2.0"\nlicense = ["SPDX:MIT"]\n',
    );
    await writeFile(path.join(source, '__init__.py'), '');
    const userDirs = await createUserDirs(path.join(dir, 'profile'));

    const staged = await stageAddon(await inspectAddon(source, undefined, dir), userDirs, noBlender(path.join(dir, 'log'), [5, 2, 2]));
    expect(staged).toMatchObject({ module: 'bl_ext.user_default.tool', kind: 'extension', installedBy: 'placed in the user_default repository folder' });
    expect((await readdir(path.join(userDirs.extensions, 'user_default', 'tool'))).sort()).toEqual(['__init__.py', 'blender_manifest.toml']);
  });

  it('a legacy copy is named by its module: an add-on-module override, or an extension id before 4.2, is what Blender finds', () => {
    expect(legacyFileName({ kind: 'package', shownAs: 'src', root: '/repo/src', module: 'my_addon' })).toBe('my_addon');
    expect(legacyFileName({ kind: 'file', shownAs: 'tool.py', root: '/repo/tool.py', module: 'tool' })).toBe('tool.py');
    expect(legacyFileName({ kind: 'file', shownAs: 'tool.py', root: '/repo/tool.py', module: 'other_name' })).toBe('other_name.py');
  });
});
