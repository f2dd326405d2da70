import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { repo } from '../helpers/repo.js';
import { parse } from 'yaml';
import { describeOnEachBlender } from '../helpers/blender.js';
import { freePort } from '../helpers/ports.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shape most add-on repositories have: the add-on in its folder, unittest files in tests/. */
const TYPICAL = {
  'README.md': '# Tidy names\n',
  'tidy_names/__init__.py': [
    'bl_info = {"name": "Tidy names", "blender": (2, 93, 0), "category": "Object"}',
    'import bpy',
    '',
    '',
    'class TIDY_OT_names(bpy.types.Operator):',
    '    bl_idname = "object.tidy_names"',
    '    bl_label = "Tidy names"',
    '',
    '    def execute(self, context):',
    '        for obj in context.scene.objects:',
    '            obj.name = obj.name.lower()',
    '        return {"FINISHED"}',
    '',
    '',
    'def register():',
    '    bpy.utils.register_class(TIDY_OT_names)',
    '',
    '',
    'def unregister():',
    '    bpy.utils.unregister_class(TIDY_OT_names)',
    '',
  ].join('\n'),
  'tests/test_tidy.py': [
    'import unittest',
    'import bpy',
    '',
    '',
    'class Tidy(unittest.TestCase):',
    '    def test_lower_case(self):',
    '        bpy.ops.object.tidy_names()',
    '        self.assertIn("cube", [o.name for o in bpy.context.scene.objects])',
    '',
  ].join('\n'),
};

/** A service add-on whose port is its own default (as blender-mcp's 9876), and its probe files. */
function serviceRepo(port: number): Record<string, string> {
  return {
    'service/__init__.py': [
      'bl_info = {"name": "Service", "blender": (2, 93, 0), "category": "System"}',
      'import asyncio, json',
      '_server = None',
      '',
      '',
      'class Echo(asyncio.Protocol):',
      '    def connection_made(self, transport):',
      '        self.transport = transport',
      '',
      '    def data_received(self, data):',
      '        self.transport.write(json.dumps({"echo": json.loads(data)}).encode())',
      '',
      '',
      'def register():',
      '    global _server',
      '    loop = asyncio.get_event_loop()',
      `    _server = loop.run_until_complete(loop.create_server(Echo, "127.0.0.1", ${port}))`,
      '',
      '',
      'def unregister():',
      '    _server.close()',
      '',
    ].join('\n'),
    'probes/echo.json': JSON.stringify({ steps: [{ name: 'echo', send: { a: 1 }, expect: { echo: { a: 1 } } }] }),
  };
}

describeOnEachBlender('zero-config: the add-on, its tests and its probe files found', (blender) => {
  it('npx blender-bg-action in a typical add-on repository: no add-on, no tests given', async () => {
    const cwd = await repo(TYPICAL);
    const result = await execa(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), '--blender-path', blender.executable], {
      cwd,
      reject: false,
      env: { NO_COLOR: '1' },
    });
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe("add-on: ./tidy_names (found: bl_info in __init__.py; the 'addon' input names another)");
    expect(lines[1]).toBe('tests: tests/ (found: 1 file named test_*.py; the tests input names others)');
    expect(result.stdout).toMatch(/^✓ tests\/test_tidy\.py › test_tidy\.py::Tidy::test_lower_case|^✓ .*test_lower_case/m);
    expect(result.stdout).toMatch(/^1 passed, 0 failed$/m);
    expect(result.exitCode).toBe(0);
  });

  it("a suite named as its own runner names it (*_tests.py, as sverchok's): found, said by which names, and run", async () => {
    const { 'tests/test_tidy.py': unittestFile, ...addon } = TYPICAL;
    const cwd = await repo({ ...addon, 'tests/tidy_tests.py': unittestFile, 'tests/nodes/names_tests.py': unittestFile.replace('class Tidy', 'class Names') });
    const result = await execa(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), '--blender-path', blender.executable, '--test-runner', 'unittest'], {
      cwd,
      reject: false,
      env: { NO_COLOR: '1' },
    });
    expect(result.stdout.split('\n')[1]).toBe('tests: tests/ (found: 2 files named *_tests.py; the tests input names others)');
    expect(result.stdout).toMatch(/^2 passed, 0 failed$/m);
    expect(result.exitCode).toBe(0);
  });

  it("a service add-on's repository with probe files: only port given", async () => {
    const port = await freePort();
    const cwd = await repo(serviceRepo(port));
    const result = await execa(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), '--blender-path', blender.executable, '--port', String(port)], {
      cwd,
      reject: false,
      env: { NO_COLOR: '1' },
    });
    expect(result.stdout.split('\n').slice(0, 2)).toEqual([
      "add-on: ./service (found: bl_info in __init__.py; the 'addon' input names another)",
      'probes: probes/*.json (found; the probes input names others)',
    ]);
    expect(result.stdout).toMatch(/^✓ echo\.json › echo/m);
    expect(result.exitCode).toBe(0);
  });

  it("the action as GitHub's runner runs it, every input at action.yml's default, nothing else but where Blender is", async () => {
    const cwd = await repo(TYPICAL);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-runner-'));
    const files = { GITHUB_OUTPUT: path.join(dir, 'output'), GITHUB_STEP_SUMMARY: path.join(dir, 'summary'), GITHUB_PATH: path.join(dir, 'path') };
    for (const file of Object.values(files)) await writeFile(file, '');
    // The runner sets INPUT_<NAME> for every input with a default, and for those the workflow gives.
    // This machine cannot download Blender (the action's default, lts): blender-path is the one input given.
    const action = parse(await readFile(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> };
    const defaults = Object.entries(action.inputs)
      .filter(([, input]) => input.default !== undefined)
      .map(([name, input]) => [`INPUT_${name.toUpperCase()}`, input.default!]);
    const env = { ...files, RUNNER_TEMP: dir, GITHUB_WORKSPACE: cwd, ...Object.fromEntries(defaults), 'INPUT_BLENDER-PATH': blender.executable };
    const result = await execa(process.execPath, [path.join(ROOT, 'dist', 'index.js')], { cwd, env, reject: false });
    expect(result.stdout).toContain("add-on: ./tidy_names (found: bl_info in __init__.py; the 'addon' input names another)");
    expect(result.stdout).not.toContain('::error::');
    expect(result.exitCode).toBe(0);
    expect(await readFile(files.GITHUB_OUTPUT, 'utf8')).toMatch(/^passed<<\S+\n1\n/m);
  });

  it('a repository with two add-ons: one sentence naming both, and the input to set', async () => {
    const cwd = await repo({ ...TYPICAL, 'other/blender_manifest.toml': 'schema_version = "1.0.0"\n' });
    const result = await execa(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), '--blender-path', blender.executable], {
      cwd,
      reject: false,
      env: { NO_COLOR: '1' },
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr + result.stdout).toContain(
      `2 add-ons found in ${cwd}: ./other (blender_manifest.toml), ./tidy_names (bl_info in __init__.py); set the 'addon' input to the one to test.`,
    );
  });
});
