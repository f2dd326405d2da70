import path from 'node:path';
import { expect, it } from 'vitest';
import type { RawInputs } from '../../src/inputs/declarations.js';
import { runAndReport } from '../../src/run-and-report.js';
import { type TestBlender, describeOnEachBlender } from '../helpers/blender.js';
import { FIXTURES } from '../helpers/fixture-run.js';
import { RecordingReporter } from '../helpers/recording-reporter.js';

const SCRIPTS = path.join(FIXTURES, 'unit-tests', 'scripts');
const ADDON = path.join(FIXTURES, 'addons', 'prefs_reader');

/** The CLI's pipeline on prefs_reader with `inputs`: no port, no probes, no UI check. */
async function run(blender: TestBlender, inputs: RawInputs) {
  const reporter = new RecordingReporter();
  const outcome = await runAndReport({ 'blender-path': blender.executable, addon: ADDON, 'ui-check': 'off', ...inputs }, reporter);
  const tests = outcome.results.filter((r) => r.kind === 'test');
  return { outcome, reporter, verdicts: tests.map((r) => [r.step, r.passed, r.line]), byId: Object.fromEntries(tests.map((r) => [r.step, r])) };
}

describeOnEachBlender('test scripts: per-file scripts and the suite’s own runner, run as `blender -b --python` runs them', (blender) => {
  it('*.test.py scripts: each one test with what it ran inside, its exit code its verdict, the startup scene before each (test-isolation: auto)', async () => {
    const { outcome, reporter, verdicts, byId } = await run(blender, { tests: [path.join(SCRIPTS, 'per-file')] });
    expect(verdicts).toEqual([
      ['armature.test.py::TestArmature::test_a_bone_that_is_not_there', false, 14],
      ['armature.test.py::TestArmature::test_operator_of_the_addon', true, 10],
      ['armature.test.py (script)', false, 20],
      ['clears_scene.test.py (script)', true, 1],
      // the file before it emptied the scene: it starts from the startup scene all the same
      ['cube.test.py (script)', true, 1],
      ['passes_but_exits_zero.test.py::Lies::test_fails', false, 7],
      ['passes_but_exits_zero.test.py (script)', false, 1],
      ['raises.test.py (script)', false, 4],
    ]);
    expect(byId['armature.test.py (script)']!.failure).toBe('the script exited with 1');
    expect(byId['passes_but_exits_zero.test.py (script)']!.failure).toBe(
      'the script exited with 0, but 1 test it ran failed (passes_but_exits_zero.test.py::Lies::test_fails): a loop that trusts the exit code would be green',
    );
    expect(byId['raises.test.py (script)']!.failure).toMatch(
      /^error: KeyError: .*NoSuchObject.* \(Blender would print this and exit 0 without --python-exit-code\)$/,
    );
    expect(byId['raises.test.py (script)']!.file).toBe(path.relative(process.cwd(), path.join(SCRIPTS, 'per-file', 'raises.test.py')));
    expect(reporter.infoLines).toContain("The add-on's tests ran with their own scripts (5, each as blender --python runs it) inside Blender.");
    expect(reporter.infoLines.find((l) => l.startsWith('tests:'))).toBeUndefined(); // the tests input named them: no zero-config line
    expect(outcome.ok).toBe(false);
  });

  it('test-isolation: none keeps the scene from file to file (the cube script sees the emptied scene and exits 1 on its line)', async () => {
    const { byId } = await run(blender, { tests: [path.join(SCRIPTS, 'per-file')], 'test-isolation': 'none' });
    expect(byId['cube.test.py (script)']).toMatchObject({ passed: false, line: 9, failure: 'the script exited with 1' });
  });

  it('test modules share the session under auto (as in their own unittest loop) and start from the startup scene under file', async () => {
    const tests = [path.join(SCRIPTS, 'isolation')];
    const shared = await run(blender, { tests, 'test-runner': 'unittest' });
    expect(shared.verdicts).toEqual([
      ['test_a_dirty.py::Dirty::test_removes_every_object', true, 7],
      ['test_b_startup.py::Startup::test_the_addon_is_still_enabled', true, 10],
      ['test_b_startup.py::Startup::test_the_startup_scene', false, 8],
    ]);
    const fresh = await run(blender, { tests, 'test-runner': 'unittest', 'test-isolation': 'file' });
    expect(fresh.verdicts.map(([, passed]) => passed)).toEqual([true, true, true]);
    expect(fresh.outcome.ok).toBe(true);
  });

  it("test-script: the suite's own runner with its arguments after --, every test it discovers reported, the add-on enabled as --addons has it", async () => {
    const runner = path.join(SCRIPTS, 'own-runner', 'runner.py');
    const green = await run(blender, { 'test-script': `${runner} -- --coverage` });
    expect(green.verdicts).toEqual([
      ['mesh_case.py::MeshCase::test_strict_mode', true, 14],
      ['mesh_case.py::MeshCase::test_the_addon_is_enabled_as_addons_gives_it', true, 11],
      ['mesh_case.py::MeshCase::test_the_arguments_after_the_double_dash', true, 8],
      ['runner.py (script)', true, 1],
    ]);
    expect(green.outcome.ok).toBe(true);
    expect(green.byId['mesh_case.py::MeshCase::test_strict_mode']!.file).toBe(
      path.relative(process.cwd(), path.join(SCRIPTS, 'own-runner', 'cases', 'mesh_case.py')),
    );

    const red = await run(blender, { 'test-script': `${runner} -- --coverage --strict` });
    expect(red.byId['mesh_case.py::MeshCase::test_strict_mode']).toMatchObject({ passed: false, line: 16 });
    expect(red.byId['runner.py (script)']).toMatchObject({ passed: false, line: 11, failure: 'the script exited with 1' });
    expect(red.outcome.ok).toBe(false);
  });

  it('test-script calling pytest.main: the tests pytest collects are reported with their lines', async () => {
    const { verdicts, byId, outcome } = await run(blender, { 'test-script': path.join(SCRIPTS, 'own-runner', 'run_pytest.py') });
    expect(verdicts).toEqual([
      ['test_scene.py::test_the_addon_operator', true, 4],
      ['test_scene.py::test_a_camera', false, 9],
      ['run_pytest.py (script)', false, 8],
    ]);
    expect(byId['test_scene.py::test_a_camera']!.failure).toMatch(/^AssertionError: assert 'CAMERA' == 'LIGHT'/);
    expect(outcome.ok).toBe(false);
  });
});
