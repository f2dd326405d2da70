import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { capabilitiesOf } from '../../src/blender/capabilities.js';
import type { RawInputs } from '../../src/inputs/declarations.js';
import { runAndReport } from '../../src/run-and-report.js';
import { type TestBlender, describeOnEachBlender, versionOf } from '../helpers/blender.js';
import { zipContents } from '../helpers/extension.js';
import { FIXTURES, SERVICE_STEPS, runFixture } from '../helpers/fixture-run.js';
import { type PythonIndex, startPythonIndex } from '../helpers/python-index.js';
import { RecordingReporter } from '../helpers/recording-reporter.js';

const UNIT = path.join(FIXTURES, 'unit-tests');
const SUITE = path.join(UNIT, 'existing-suite', 'python');
const FORK_TEST = path.join(UNIT, 'forks', 'test_fork_is_loaded.py');
const byId = (results: { step: string }[]) => Object.fromEntries(results.map((r) => [r.step, r]));

/** The CLI's pipeline with `inputs`, no port, no probes: an add-on and its own tests. */
async function runTests(blender: TestBlender, inputs: RawInputs) {
  const reporter = new RecordingReporter();
  const outcome = await runAndReport({ 'blender-path': blender.executable, ...inputs }, reporter);
  return { outcome, reporter };
}

/** A fork of the add-on Blender bundles as `name`, in a temp folder of that name; with a manifest too, when given. */
async function forkOf(name: string, manifest?: string): Promise<string> {
  const folder = path.join(await mkdtemp(path.join(os.tmpdir(), 'bg-fork-')), name);
  await cp(path.join(FIXTURES, 'addons', 'bundled_fork'), folder, { recursive: true });
  if (manifest) await writeFile(path.join(folder, 'blender_manifest.toml'), manifest);
  return folder;
}

/** An extension manifest for the fork, with a tag Blender's installer takes and the platform refuses. */
const GLTF_MANIFEST = `schema_version = "1.0.0"
id = "io_scene_gltf2"
version = "1.0.0"
name = "glTF fork"
tagline = "A fork of a core add-on"
maintainer = "blender-bg-action"
type = "add-on"
tags = ["Automation"]
blender_version_min = "4.2.0"
license = ["SPDX:GPL-3.0-or-later"]
`;

let tmpToolCache: string;
let index: PythonIndex;
beforeAll(async () => {
  // python-packages go to the tool cache: this file's own, so runs start cold and stay apart.
  tmpToolCache = await mkdtemp(path.join(os.tmpdir(), 'bg-tool-cache-'));
  process.env['RUNNER_TOOL_CACHE'] = tmpToolCache;
  index = await startPythonIndex();
});
afterAll(async () => {
  await index.close();
});

describeOnEachBlender('existing test suites, dropped in unmodified', (blender) => {
  const modern = capabilitiesOf(versionOf(blender)).extensions;

  it.each(['io_scene_gltf2', 'node_wrangler'])('a fork of the bundled %s is the copy that runs (legacy add-on), and the ready line names it', async (name) => {
    const fork = await forkOf(name);
    const { outcome, reporter } = await runTests(blender, { addon: fork, tests: [FORK_TEST], 'test-runner': 'unittest', env: [`FORK_MODULE=${name}`] });
    expect(outcome.results.map((r) => [r.step, r.failure])).toEqual([
      ['test_fork_is_loaded.py::Fork::test_the_bundled_one_is_not_enabled_beside_it', undefined],
      ['test_fork_is_loaded.py::Fork::test_the_fork_is_enabled_and_registered', undefined],
      ['test_fork_is_loaded.py::Fork::test_the_module_is_the_fork', undefined],
    ]);
    expect(outcome.ok).toBe(true);
    expect(reporter.loadedFrom).toBe(`${path.join(fork, '__init__.py')} (the copy under test)`);
  });

  it(`an add-on with bl_info and a manifest: ${modern ? 'an extension here, with the core name io_scene_gltf2; a platform-only tag is a warning on its line' : 'a legacy add-on here (Blender before 4.2 ignores the manifest)'}`, async () => {
    const fork = await forkOf('io_scene_gltf2', GLTF_MANIFEST);
    const module = modern ? 'bl_ext.user_default.io_scene_gltf2' : 'io_scene_gltf2';
    const { outcome, reporter } = await runTests(blender, { addon: fork, tests: [FORK_TEST], 'test-runner': 'unittest', env: [`FORK_MODULE=${module}`] });
    expect(outcome.results.map((r) => r.failure)).toEqual([undefined, undefined, undefined]);
    expect(outcome.ok).toBe(true);
    if (modern) {
      expect(reporter.warnings).toEqual([
        expect.stringMatching(
          /blender_manifest\.toml:8: Blender \d\.\d\.\d's extension validate \(the extensions platform's upload check\) refuses: loading tags: found invalid tag "Automation" .*; Blender installs and runs it all the same\.$/,
        ),
      ]);
      expect(reporter.warningsAt).toEqual([{ file: path.join(fork, 'blender_manifest.toml'), line: 8 }]);
    } else {
      expect(reporter.infoLines).toContain(
        `${fork} has bl_info as well as blender_manifest.toml: Blender ${blender.version} (before 4.2) loads it as the legacy add-on 'io_scene_gltf2'.`,
      );
      expect(reporter.warnings).toEqual([]);
    }
  });

  if (modern) {
    it('extension-repository: blender_org as a folder, a repository of your own as a zip: __package__ is bl_ext.<repository>.<id>', async () => {
      const fork = await forkOf('io_scene_gltf2', GLTF_MANIFEST);
      const platform = await runTests(blender, {
        addon: fork,
        'extension-repository': 'blender_org',
        tests: [FORK_TEST],
        'test-runner': 'unittest',
        env: ['FORK_MODULE=bl_ext.blender_org.io_scene_gltf2'],
      });
      expect(platform.outcome.results.map((r) => r.failure)).toEqual([undefined, undefined, undefined]);
      expect(platform.reporter.infoLines).toContain('Extension bl_ext.blender_org.io_scene_gltf2: placed in the blender_org repository folder.');

      const zip = zipContents(fork, path.join(path.dirname(fork), 'gltf.zip'));
      const own = await runTests(blender, {
        addon: zip,
        'extension-repository': 'studio',
        tests: [FORK_TEST],
        'test-runner': 'unittest',
        env: ['FORK_MODULE=bl_ext.studio.io_scene_gltf2'],
      });
      expect(own.outcome.results.map((r) => r.failure)).toEqual([undefined, undefined, undefined]);
      expect(own.reporter.loadedFrom).toBe(`${zip} › io_scene_gltf2/__init__.py (the copy under test)`);
    });
  }

  it('a test package under unittest: *_test.py found in the folder, relative imports, numpy, load_tests; sys.exit and read_factory_settings do not end the session', async () => {
    const { outcome } = await runFixture(blender, 'asyncio', { steps: [SERVICE_STEPS[1]], inputs: { tests: [SUITE], 'test-runner': 'unittest' } });
    const tests = byId(outcome.results.filter((r) => r.kind === 'test'));
    expect(Object.keys(tests)).toEqual([
      'foo_test.py::FooTest::test_name_is_the_package_one',
      'foo_test.py::FooTest::test_relative_import_and_numpy',
      'test_load_tests.py::Chosen::check_added_by_load_tests',
      'test_reset.py::FactoryReset::test_scene_is_empty_after_the_reset',
      'test_sys_exit.py::ExitsInSetUpClass::setUpClass',
      'test_sys_exit.py::StillRuns::test_runs_after_the_exit',
      'test_zz_after.py::AfterReset::test_the_addon_is_enabled',
    ]);
    expect(tests['test_sys_exit.py::ExitsInSetUpClass::setUpClass']).toMatchObject({
      passed: false,
      line: 10,
      failure: expect.stringContaining('sys.exit(1) was called'),
    });
    expect(outcome.results.filter((r) => !r.passed).map((r) => r.step)).toEqual(['test_sys_exit.py::ExitsInSetUpClass::setUpClass']);
    expect(outcome.notRun.map((s) => s.step)).toEqual(['test_sys_exit.py::ExitsInSetUpClass::test_never_runs']);
    // After a factory reset in the tests, the add-on serves the probes again.
    expect(outcome.results.filter((r) => r.kind !== 'test').map((r) => [r.step, r.passed])).toEqual([[SERVICE_STEPS[1]!.name, true]]);
    expect(outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });
  });

  it('the same package under pytest: its own import of the package, sys.exit in setUpClass an error, the session goes on', async () => {
    const { outcome } = await runFixture(blender, 'asyncio', { steps: [SERVICE_STEPS[1]], inputs: { tests: [SUITE], 'test-runner': 'pytest' } });
    const tests = byId(outcome.results.filter((r) => r.kind === 'test'));
    for (const passing of [
      'foo_test.py::FooTest::test_relative_import_and_numpy',
      'foo_test.py::FooTest::test_name_is_the_package_one',
      'test_reset.py::FactoryReset::test_scene_is_empty_after_the_reset',
      'test_sys_exit.py::StillRuns::test_runs_after_the_exit',
      'test_zz_after.py::AfterReset::test_the_addon_is_enabled',
    ]) {
      expect(tests[passing], passing).toMatchObject({ passed: true });
    }
    expect(tests['test_sys_exit.py::ExitsInSetUpClass::test_never_runs']).toMatchObject({
      passed: false,
      failure: expect.stringContaining('sys.exit(1) was called'),
    });
    expect(outcome.results.filter((r) => r.kind !== 'test').map((r) => r.passed)).toEqual([true]);
  });

  it('tests that hold no test fail the run, with either runner: a green run tests something', async () => {
    for (const runner of ['unittest', 'pytest']) {
      const { outcome } = await runFixture(blender, 'asyncio', { inputs: { tests: [path.join(UNIT, 'empty', 'test_nothing.py')], 'test-runner': runner } });
      expect(outcome.ok, runner).toBe(false);
      expect(outcome.results, runner).toEqual([
        expect.objectContaining({
          step: 'no tests collected',
          passed: false,
          failure: expect.stringMatching(
            /^the tests input matched a file \(.*test_nothing\.py\) holding no test that the runner can collect, so nothing was tested$/,
          ),
        }),
      ]);
    }
  });

  it('pytest-style tests under unittest fail their file, saying how to run them', async () => {
    const { outcome } = await runFixture(blender, 'asyncio', { inputs: { tests: [path.join(UNIT, 'test_pytest_style.py')], 'test-runner': 'unittest' } });
    expect(outcome.ok).toBe(false);
    expect(outcome.results).toEqual([
      expect.objectContaining({
        step: 'test_pytest_style.py (pytest-style tests)',
        line: 16,
        failure:
          '5 pytest-style tests (test_fixture_value, test_squares, test_gpu, test_known_bug, TestGroup) that unittest cannot run; pytest is importable here: set test-runner to pytest (or auto)',
      }),
    ]);
  });

  it('python-packages from a local index: installed for this Blender’s Python into the tool cache, importable by the tests, then reused', async () => {
    const tests = [path.join(UNIT, 'test_python_packages.py')];
    const inputs = { tests, 'test-runner': 'unittest', 'python-packages': ['bgfixture-party'] };
    const env = [`PIP_INDEX_URL=${index.url}`];
    const first = await runFixture(blender, 'asyncio', { inputs, env });
    expect(first.outcome.results.map((r) => [r.step, r.failure])).toEqual([
      ['test_python_packages.py::FromTheIndex::test_the_package_and_its_dependency_import', undefined],
      ['test_python_packages.py::FromTheIndex::test_they_come_from_the_cached_folder_not_blenders_python', undefined],
    ]);
    expect(first.reporter.infoLines).toContainEqual(
      expect.stringMatching(/^python-packages: installed bgfixture-greeting-1\.0\.0, bgfixture-party-1\.0\.0 for Python 3\.\d+\.\d+ in /),
    );

    const again = await runFixture(blender, 'asyncio', { inputs, env });
    expect(again.outcome.ok).toBe(true);
    expect(again.reporter.infoLines).toContainEqual(expect.stringMatching(/^python-packages: cached for Python 3\.\d+\.\d+ \(/));

    // Before launch, one sentence with pip's own words.
    const missing = runFixture(blender, 'asyncio', { inputs: { ...inputs, 'python-packages': ['bgfixture-nowhere'] }, env });
    await expect(missing).rejects.toThrow(
      new RegExp(
        `^pip could not install python-packages for Blender ${blender.version.replace(/\./g, '\\.')}'s Python 3\\.\\d+\\.\\d+: Could not find a version that satisfies the requirement bgfixture-nowhere \\(from versions: none\\)\\.$`,
      ),
    );
  });

  it('blend-file: opened before the add-on is enabled, seen by the tests', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-blend-'));
    const blend = path.join(dir, 'scene.blend');
    const save = `import bpy; bpy.data.objects["Cube"].name = "FromTheBlendFile"; bpy.ops.wm.save_as_mainfile(filepath=${JSON.stringify(blend)})`;
    execFileSync(blender.executable, ['-b', '--factory-startup', '--python-expr', save], { stdio: 'ignore' });
    const test = path.join(dir, 'test_blend.py');
    await writeFile(
      test,
      'import unittest\nimport bpy\n\n\nclass Blend(unittest.TestCase):\n    def test_the_file_is_open(self):\n        self.assertIn("FromTheBlendFile", bpy.data.objects)\n        self.assertTrue(bpy.data.filepath.endswith("scene.blend"))\n',
    );
    const { outcome } = await runFixture(blender, 'asyncio', { inputs: { tests: [test], 'test-runner': 'unittest', 'blend-file': blend } });
    expect(outcome.results.map((r) => [r.step, r.failure])).toEqual([['test_blend.py::Blend::test_the_file_is_open', undefined]]);
  });

  it('leaves the checkout as it was: no __pycache__ beside the tests or the driver', async () => {
    const copy = path.join(await mkdtemp(path.join(os.tmpdir(), 'bg-checkout-')), 'python');
    await cp(SUITE, copy, { recursive: true });
    await runFixture(blender, 'asyncio', { inputs: { tests: [copy], 'test-runner': 'unittest' } });
    await runFixture(blender, 'asyncio', { inputs: { tests: [copy], 'test-runner': 'pytest' } });
    expect(await readdir(path.join(copy, 'mytests'))).not.toContain('__pycache__');
    expect(await readdir(path.resolve(FIXTURES, '..', '..', 'python'))).not.toContain('__pycache__');
  });
});
