import { describe, expect, it } from 'vitest';
import { repo } from '../../helpers/repo.js';
import { parseRunConfig } from '../../../src/inputs/config.js';
import { withWorkspaceDefaults } from '../../../src/workspace/defaults.js';

const ADDON = { 'my_addon/__init__.py': 'bl_info = {"name": "x"}\n' };

describe('withWorkspaceDefaults', () => {
  it('the add-on, tests/ and tests/probes/*.json found, each said', async () => {
    const root = await repo({ ...ADDON, 'tests/test_a.py': '', 'tests/probes/p.json': '{}' });
    const { config, lines } = await withWorkspaceDefaults(parseRunConfig({}), root);
    expect(config).toMatchObject({ addon: './my_addon', tests: ['tests'], probes: ['tests/probes/*.json'] });
    expect(lines).toEqual([
      "add-on: ./my_addon (found: bl_info in __init__.py; the 'addon' input names another)",
      'tests: tests/ (found: 1 file named test_*.py; the tests input names others)',
      'probes: tests/probes/*.json (found; the probes input names others)',
    ]);
  });

  it('test/ and probes/*.json too; a tests folder without test files is no tests', async () => {
    const root = await repo({ ...ADDON, 'tests/README.md': '', 'test/check_x_test.py': '', 'probes/a.json': '{}' });
    expect((await withWorkspaceDefaults(parseRunConfig({}), root)).config).toMatchObject({ tests: ['test'], probes: ['probes/*.json'] });
  });

  it('a suite named as its own runner names it (*_tests.py, sverchok) is found, and the line says by which names', async () => {
    const root = await repo({ ...ADDON, 'tests/mesh_tests.py': '', 'tests/nodes/socket_tests.py': '', 'tests/test_other.py': '', 'tests/util.py': '' });
    const { config, lines } = await withWorkspaceDefaults(parseRunConfig({}), root);
    expect(config.tests).toEqual(['tests']);
    expect(lines[1]).toBe('tests: tests/ (found: 3 files named test_*.py and *_tests.py; the tests input names others)');
  });

  it('what is given is kept, and nothing is looked for in its place; a named add-on gets no defaults at all', async () => {
    const root = await repo({ ...ADDON, 'tests/test_a.py': '', 'tests/probes/p.json': '{}' });
    const given = await withWorkspaceDefaults(parseRunConfig({ tests: ['t/test_x.py'], probes: ['x.json'] }), root);
    expect(given.config).toMatchObject({ addon: './my_addon', tests: ['t/test_x.py'], probes: ['x.json'] });
    expect(given.lines).toEqual(["add-on: ./my_addon (found: bl_info in __init__.py; the 'addon' input names another)"]);
    const named = await withWorkspaceDefaults(parseRunConfig({ addon: 'other' }), root);
    expect(named).toEqual({ config: parseRunConfig({ addon: 'other' }), lines: [] });
  });

  it('no tests and no probes: a port is a service check; with nothing at all, nothing is tested, and that fails', async () => {
    const root = await repo(ADDON);
    expect((await withWorkspaceDefaults(parseRunConfig({ port: '6688' }), root)).config).toMatchObject({ addon: './my_addon', tests: [], probes: [] });
    await expect(withWorkspaceDefaults(parseRunConfig({}), root)).rejects.toThrow(
      'Nothing to test in ./my_addon: no tests/ or test/ folder with test_*.py, *_test.py, *_tests.py or *.test.py files, no probe files (tests/probes/*.json, probes/*.json), and no port; set tests, probes or port.',
    );
    // An add-on named by the user alone is still checked (it enables, and unregister() leaves nothing).
    expect((await withWorkspaceDefaults(parseRunConfig({ addon: './my_addon' }), root)).config.tests).toEqual([]);
  });
});
