import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseAddonState, findSelfEnabling } from '../../../src/addon-tests/addon-state.js';
import { readSuiteSources } from '../../../src/addon-tests/suite-sources.js';

async function suite(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-state-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

describe('which suites enable the add-on themselves', () => {
  it('a test file, or a helper beside it, that enables an add-on and names this one; the first place', async () => {
    const dir = await suite({
      'test_a.py': 'import helpers\n\ndef test_x():\n    pass\n',
      'helpers.py': 'import addon_utils\nADDON = "my_addon"\n\ndef setup():\n    addon_utils.enable(ADDON, default_set=True)\n',
    });
    expect(findSelfEnabling(await readSuiteSources([path.join(dir, 'test_a.py')], dir), ['my_addon'])).toBe('helpers.py:5');
    const ops = await suite({
      'test_b.py': 'import bpy\n\nclass T:\n    def setUp(self):\n        bpy.ops.preferences.addon_enable(module="bl_ext.user_default.tool")\n',
    });
    expect(findSelfEnabling(await readSuiteSources([path.join(ops, 'test_b.py')], ops), ['bl_ext.user_default.tool', 'tool'])).toBe('test_b.py:5');
  });

  it('enabling another add-on, or naming this one without enabling anything: not self-enabling', async () => {
    const dir = await suite({
      'test_other.py': 'import addon_utils\naddon_utils.enable("node_wrangler")\n',
      'test_named.py': 'import my_addon\nassert my_addon.__name__ == "my_addon"\n',
    });
    expect(findSelfEnabling(await readSuiteSources([path.join(dir, 'test_other.py'), path.join(dir, 'test_named.py')], dir), ['my_addon'])).toBeUndefined();
  });

  it('the choice and its one line: auto follows the finding, the input overrides it', () => {
    expect(chooseAddonState('auto', 'my_addon', 'tests/test_io.py:12')).toEqual({
      installedOnly: true,
      sentence:
        'The tests enable it themselves (tests/test_io.py:12), so each test file starts with my_addon installed, not enabled, as in their own loop; the probes get it enabled (addon-state-in-tests: auto).',
    });
    expect(chooseAddonState('auto', 'my_addon', undefined)).toEqual({
      installedOnly: false,
      sentence:
        'Each test file starts with my_addon enabled, as a fresh Blender with it enabled has it (addon-state-in-tests: auto; the tests do not enable it themselves).',
    });
    expect(chooseAddonState('installed', 'my_addon', undefined).installedOnly).toBe(true);
    expect(chooseAddonState('enabled', 'my_addon', 'tests/test_io.py:12').installedOnly).toBe(false);
  });
});
