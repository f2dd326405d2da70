import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parseRunConfig, requireAddon } from '../src/inputs/config.js';
import type { RawInputs } from '../src/inputs/declarations.js';
import { runPipeline } from '../src/main.js';
import { RecordingReporter } from '../test/helpers/recording-reporter.js';
import { EXAMPLE_ADDON } from './servers.js';

/** Three mesh-building tests, as a TestCase body. */
const CASE = `class Mesh(unittest.TestCase):
    def test_cube(self):
        bpy.ops.mesh.primitive_cube_add(size=2)
        self.assertEqual(len(bpy.context.selected_objects), 1)

    def test_mesh(self):
        mesh = bpy.data.meshes.new("m")
        bpy.context.scene.collection.objects.link(bpy.data.objects.new("o", mesh))
        self.assertIn("o", bpy.data.objects)

    def test_startup_scene(self):
        self.assertIn("Camera", bpy.data.objects)
`;

/** `files` per-file scripts as cats-blender-plugin writes them: TestCases run by the file itself, sys.exit(not ok). */
async function writePerFileScripts(files: number): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-bench-scripts-'));
  for (let f = 0; f < files; f++) {
    const body = `import sys\nimport unittest\n\nimport bpy\n\n\n${CASE}\n\nok = unittest.TextTestRunner(verbosity=0).run(unittest.TestLoader().loadTestsFromTestCase(Mesh)).wasSuccessful()\nsys.exit(not ok)\n`;
    await writeFile(path.join(dir, `mesh_${f}.test.py`), body);
  }
  return dir;
}

/** A suite with its own runner (OpenSAGE's shape): runner.py discovers `files` case files and exits with the verdict. */
async function writeOwnRunnerSuite(files: number): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-bench-runner-'));
  await mkdir(path.join(dir, 'cases'));
  await writeFile(path.join(dir, 'cases', '__init__.py'), '');
  for (let f = 0; f < files; f++) await writeFile(path.join(dir, 'cases', `mesh_${f}_case.py`), `import unittest\n\nimport bpy\n\n\n${CASE}`);
  await writeFile(
    path.join(dir, 'runner.py'),
    `import os, sys, unittest\nhere = os.path.dirname(os.path.abspath(__file__))\nsuite = unittest.defaultTestLoader.discover(os.path.join(here, "cases"), pattern="*_case.py", top_level_dir=here)\nsys.exit(not unittest.TextTestRunner(verbosity=0).run(suite).wasSuccessful())\n`,
  );
  return path.join(dir, 'runner.py');
}

/** The whole action run (start, the scripts, teardown) with `inputs`; it must pass with `results` results. */
async function wholeRunMs(blender: string, inputs: RawInputs, results: number): Promise<number> {
  const config = parseRunConfig({ addon: EXAMPLE_ADDON, 'blender-path': blender, 'ui-check': 'off', ...inputs });
  const started = performance.now();
  const outcome = await runPipeline(requireAddon(config), new RecordingReporter());
  const ms = performance.now() - started;
  if (!outcome.ok || outcome.results.length !== results)
    throw new Error(`bench scripts did not all pass (${outcome.results.length} results): ${outcome.failure}`);
  return ms;
}

/** Their own loop: `blender -b --factory-startup --python script [-- args]` for each, the exit code counted. */
async function ownLoopMs(blender: string, scripts: string[]): Promise<number> {
  const started = performance.now();
  for (const script of scripts) await execa(blender, ['-b', '--factory-startup', '--python', script]);
  return performance.now() - started;
}

export interface ScriptSuiteCost {
  files: number;
  tests: number;
  /** per-file scripts: our whole run, and their loop of a Blender per file */
  perFile: { oursMs: number; loopMs: number };
  /** the suite's own runner: our whole run with test-script, and one `blender -b --python runner.py` */
  ownRunner: { oursMs: number; loopMs: number };
}

/** Both script shapes, ours beside their own loop, in alternating order (ABBA) so drift favours neither. */
export async function scriptSuiteCost(blender: string, files: number, rounds: number): Promise<ScriptSuiteCost> {
  const scriptsDir = await writePerFileScripts(files);
  const scripts = Array.from({ length: files }, (_, f) => path.join(scriptsDir, `mesh_${f}.test.py`));
  const runner = await writeOwnRunnerSuite(files);
  const samples = { perFileOurs: [] as number[], perFileLoop: [] as number[], runnerOurs: [] as number[], runnerLoop: [] as number[] };
  for (let round = 0; round < rounds; round++) {
    const ours = async () => {
      samples.perFileOurs.push(await wholeRunMs(blender, { tests: [scriptsDir] }, files * 4));
      samples.runnerOurs.push(await wholeRunMs(blender, { 'test-script': runner }, files * 3 + 1));
    };
    const loops = async () => {
      samples.perFileLoop.push(await ownLoopMs(blender, scripts));
      samples.runnerLoop.push(await ownLoopMs(blender, [runner]));
    };
    for (const run of round % 2 === 0 ? [ours, loops] : [loops, ours]) await run();
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    files,
    tests: files * 3,
    perFile: { oursMs: mean(samples.perFileOurs), loopMs: mean(samples.perFileLoop) },
    ownRunner: { oursMs: mean(samples.runnerOurs), loopMs: mean(samples.runnerLoop) },
  };
}
