import { describe, expect, it } from 'vitest';
import { repo } from '../../helpers/repo.js';
import { findAddons } from '../../../src/workspace/find-addon.js';
import { chooseAddon } from '../../../src/workspace/defaults.js';

const BL_INFO = 'bl_info = {"name": "x", "blender": (3, 0, 0)}\n';
const MANIFEST = 'schema_version = "1.0.0"\nid = "x"\n';

describe('findAddons', () => {
  it('one add-on folder beside its tests: found by bl_info', async () => {
    const root = await repo({ 'my_addon/__init__.py': BL_INFO, 'my_addon/ops.py': '', 'tests/test_ops.py': '', 'README.md': '' });
    expect(await findAddons(root)).toEqual([{ path: './my_addon', mark: 'bl_info in __init__.py' }]);
  });

  it('an extension (a manifest), one below src/, and one with both', async () => {
    expect(await findAddons(await repo({ 'tool/blender_manifest.toml': MANIFEST, 'tool/__init__.py': 'def register(): pass\n' }))).toEqual([
      { path: './tool', mark: 'blender_manifest.toml' },
    ]);
    expect(await findAddons(await repo({ 'src/my_tool/blender_manifest.toml': MANIFEST, 'src/my_tool/__init__.py': '' }))).toEqual([
      { path: './src/my_tool', mark: 'blender_manifest.toml' },
    ]);
    expect(await findAddons(await repo({ 'dual/blender_manifest.toml': MANIFEST, 'dual/__init__.py': BL_INFO }))).toEqual([
      { path: './dual', mark: 'blender_manifest.toml and bl_info' },
    ]);
  });

  it('the repository root as the add-on: its folders are its own modules', async () => {
    expect(await findAddons(await repo({ '__init__.py': BL_INFO, 'operators/__init__.py': BL_INFO }))).toEqual([{ path: '.', mark: 'bl_info in __init__.py' }]);
    expect(await findAddons(await repo({ 'blender_manifest.toml': MANIFEST, '__init__.py': '' }))).toEqual([{ path: '.', mark: 'blender_manifest.toml' }]);
  });

  it('a single-file add-on at the root (setup.py and conftest.py are not looked in)', async () => {
    expect(
      await findAddons(await repo({ 'my_tool.py': `"""doc"""\n${BL_INFO}`, 'setup.py': BL_INFO, 'conftest.py': BL_INFO, 'helpers.py': 'x = 1\n' })),
    ).toEqual([{ path: './my_tool.py', mark: 'bl_info in the file' }]);
  });

  it('none: a package without bl_info, modules that only mention it', async () => {
    expect(await findAddons(await repo({ 'lib/__init__.py': 'x = 1\n', 'notes.py': '# bl_info = {}\n', 'lib/info.py': BL_INFO }))).toEqual([]);
  });

  it('test fixtures, dependencies, virtual environments, build output and hidden folders are never picked', async () => {
    const root = await repo({
      'real_addon/__init__.py': BL_INFO,
      'tests/fixture_addon/__init__.py': BL_INFO,
      'test/__init__.py': BL_INFO,
      'node_modules/some_addon/__init__.py': BL_INFO,
      '.venv/addon/__init__.py': BL_INFO,
      'myenv/pyvenv.cfg': 'home = /usr/bin\n',
      'myenv/__init__.py': BL_INFO,
      'build/real_addon/__init__.py': BL_INFO,
      'dist/real_addon/blender_manifest.toml': MANIFEST,
      '.git/x/__init__.py': BL_INFO,
      'vendor/other/__init__.py': BL_INFO,
      'examples/demo/__init__.py': BL_INFO,
    });
    expect(await findAddons(root)).toEqual([{ path: './real_addon', mark: 'bl_info in __init__.py' }]);
  });

  it('several: all of them, in name order', async () => {
    expect(await findAddons(await repo({ 'b_addon/__init__.py': BL_INFO, 'a_ext/blender_manifest.toml': MANIFEST, 'src/c/__init__.py': BL_INFO }))).toEqual([
      { path: './a_ext', mark: 'blender_manifest.toml' },
      { path: './b_addon', mark: 'bl_info in __init__.py' },
      { path: './src/c', mark: 'bl_info in __init__.py' },
    ]);
  });
});

describe('chooseAddon', () => {
  it('exactly one is the add-on; none or several is one sentence naming what was found and the input to set', () => {
    expect(chooseAddon([{ path: './a', mark: 'bl_info in __init__.py' }], '/repo')).toEqual({ path: './a', mark: 'bl_info in __init__.py' });
    expect(() => chooseAddon([], '/repo')).toThrow(
      "No add-on found in /repo: no folder with blender_manifest.toml or an __init__.py with bl_info (here, one level below, or below src/), and no .py file with bl_info here; set the 'addon' input to the folder, .py file or .zip to test.",
    );
    expect(() =>
      chooseAddon(
        [
          { path: './a', mark: 'bl_info in __init__.py' },
          { path: './b', mark: 'blender_manifest.toml' },
        ],
        '/repo',
      ),
    ).toThrow("2 add-ons found in /repo: ./a (bl_info in __init__.py), ./b (blender_manifest.toml); set the 'addon' input to the one to test.");
  });
});
