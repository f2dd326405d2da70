import { capabilitiesOf } from '../../src/blender/capabilities.js';
import { parseRunConfig, requireAddon } from '../../src/inputs/config.js';
import { runPipeline } from '../../src/main.js';
import type { RawInputs } from '../../src/inputs/declarations.js';
import { XMLParser } from 'fast-xml-parser';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { junitXml } from '../../src/report/junit.js';
import { type TestBlender, describeOnEachBlender, testBlenders, versionOf } from '../helpers/blender.js';
import { FIXTURES, SERVICE_STEPS, runFixture } from '../helpers/fixture-run.js';
import { RecordingReporter } from '../helpers/recording-reporter.js';

const UNIT = path.join(FIXTURES, 'unit-tests');
const file = (name: string) => path.join(UNIT, name);
const byId = (results: { step: string }[]) => Object.fromEntries(results.map((r) => [r.step, r]));

describeOnEachBlender("the add-on's own Python tests, inside the kept-alive Blender", (blender) => {
  it('unittest: every outcome is one result with its line; a broken file is one collection error; then the probes run', async () => {
    const { outcome } = await runFixture(blender, 'asyncio', {
      steps: [SERVICE_STEPS[1]],
      inputs: { tests: [file('test_unittest_outcomes.py'), file('test_inside_blender.py'), file('test_broken.py')], 'test-runner': 'unittest' },
    });
    const tests = byId(outcome.results.filter((r) => r.kind === 'test'));
    const name = (test: string) => `test_unittest_outcomes.py::${test}`;
    expect(tests[name('Outcomes::test_passes')]).toMatchObject({ passed: true, line: 25 });
    expect(tests[name('Outcomes::test_fails')]).toMatchObject({
      passed: false,
      line: 29,
      failure: 'AssertionError: 41 != 42',
      details: expect.stringContaining('Traceback'),
    });
    expect(tests[name('Outcomes::test_errors')]).toMatchObject({ passed: false, failure: 'error: RuntimeError: boom' });
    expect(tests[name('Outcomes::test_skipped')]).toMatchObject({ passed: true, skipped: 'not today' });
    expect(tests[name('Outcomes::test_subtests')]).toMatchObject({ passed: false, failure: '(n=2) AssertionError: 2 == 2' });
    expect(tests[name('Outcomes::test_fixtures_ran_once')]).toMatchObject({ passed: true });
    expect(tests[name('BrokenClass::setUpClass')]).toMatchObject({ passed: false, failure: 'error: ValueError: class fixture fails' });
    expect(tests['test_broken.py (collecting)']).toMatchObject({
      passed: false,
      line: 3,
      failure: expect.stringMatching(/^could not be collected: SyntaxError/),
    });
    for (const inside of ['test_main_thread_and_scene', 'test_addon_importable_and_enabled', 'test_own_port_is_refused_not_a_hang']) {
      expect(tests[`test_inside_blender.py::InsideBlender::${inside}`], inside).toMatchObject({ passed: true });
    }
    expect(outcome.notRun.map((s) => s.step)).toEqual([name('BrokenClass::test_never_runs')]);
    // The probes ran after the tests, in the same session.
    expect(outcome.results.filter((r) => r.kind !== 'test').map((r) => r.passed)).toEqual([true]);
    expect(outcome.failure).toMatch(/^5 of 12 tests failed; first: /);
    expect(outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });

    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase'].includes(n) }).parse(
      junitXml(outcome),
    ).testsuites;
    const suite = junit.testsuite.find((s: { name: string }) => s.name === 'test_unittest_outcomes.py');
    expect(suite).toMatchObject({ failures: '4', skipped: '2' }); // test_skipped, and test_never_runs (not run)
  });

  it('a file load drops the timers registered without persistent=True, as Blender does; the persistent ones, and the session, go on', async () => {
    const { outcome } = await runFixture(blender, 'asyncio', {
      steps: [SERVICE_STEPS[1]],
      inputs: { tests: [file('test_timers_on_load.py')], 'test-runner': 'unittest' },
    });
    expect(outcome.results.map((r) => [r.step, r.passed, r.failure])).toEqual([
      ['test_timers_on_load.py::TimersOnLoad::test_a_file_load_drops_the_timers_not_registered_persistent', true, undefined],
      [SERVICE_STEPS[1]!.name, true, undefined],
    ]);
    expect(outcome.ok).toBe(true);
  });

  it('pytest (auto picks it when Blender can import it): fixtures, parametrize, marks, an introspected assert, unittest classes too', async () => {
    const reporter = new RecordingReporter();
    const { outcome } = await runFixture(blender, 'asyncio', {
      reporter,
      inputs: { tests: [file('test_pytest_style.py'), file('test_inside_blender.py'), file('test_broken.py')] },
    });
    expect(reporter.infoLines).toContain("The add-on's tests ran with pytest inside Blender.");
    const tests = byId(outcome.results);
    expect(tests['test_pytest_style.py::test_fixture_value']).toMatchObject({ passed: true, line: 16 });
    expect(tests['test_pytest_style.py::test_squares[2-4]']).toMatchObject({ passed: true });
    expect(tests['test_pytest_style.py::test_squares[4-15]']).toMatchObject({
      passed: false,
      line: 22,
      failure: expect.stringContaining('assert (4 * 4) == 15'),
    });
    expect(tests['test_pytest_style.py::test_gpu']).toMatchObject({ passed: true, skipped: expect.stringContaining('needs a GPU') });
    expect(tests['test_pytest_style.py::test_known_bug']).toMatchObject({ passed: true });
    expect(tests['test_pytest_style.py::TestGroup::test_in_class']).toMatchObject({
      passed: false,
      line: 38,
      failure: expect.stringContaining("assert {'a': 1} == {'a': 2}"),
    });
    expect(tests['test_inside_blender.py::InsideBlender::test_own_port_is_refused_not_a_hang']).toMatchObject({ passed: true });
    expect(tests['test_broken.py (collecting)']).toMatchObject({ passed: false, line: 3 });
    expect(outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });
  });

  it('a test that crashes Blender: reported as the crash, the tests after it not run, probes not run', async () => {
    const { outcome } = await runFixture(blender, 'asyncio', {
      steps: [SERVICE_STEPS[1]],
      inputs: { tests: [file('test_crash.py')], 'test-runner': 'unittest' },
    });
    expect(outcome.results.map((r) => [r.step, r.passed])).toEqual([
      ['test_crash.py::Crash::test_1_before', true],
      ['test_crash.py::Crash::test_2_crashes', false],
    ]);
    expect(outcome.results[1]?.failure).toBe('Blender was killed by SIGSEGV during this test');
    expect(outcome.notRun.map((s) => s.step)).toEqual(['test_crash.py::Crash::test_3_after', SERVICE_STEPS[1]!.name]);
    expect(outcome.failure).toMatch(
      /^Blender was killed by SIGSEGV before it was asked to stop, during test "test_crash\.py::Crash::test_2_crashes" \(.*test_crash\.py:\d+\); 2 later steps did not run\.$/,
    );
  });

  it('a test that hangs: stopped at test-timeout, named when Blender has to be killed, the rest not run', async () => {
    const { outcome } = await runFixture(blender, 'asyncio', {
      inputs: { tests: [file('test_hang.py')], 'test-runner': 'unittest', 'test-timeout': '1s', 'shutdown-timeout': '1s' },
    });
    expect(outcome.results).toEqual([
      expect.objectContaining({
        step: 'test_hang.py::Hang::test_1_hangs',
        passed: false,
        timedOut: true,
        failure: "no result within 1s (test-timeout); the test still holds Blender's main thread",
      }),
    ]);
    expect(outcome.notRun.map((s) => s.step)).toEqual(['test_hang.py::Hang::test_2_after']);
    expect(outcome.teardown?.kind).toBe('killed');
    expect(outcome.details).toContain('the main thread was still running the test "test_hang.py::Hang::test_1_hangs"');
  });

  it('a test slower than probe-timeout is not cut off: tests have no limit unless test-timeout sets one', async () => {
    const { outcome } = await runFixture(blender, 'asyncio', { inputs: { tests: [file('test_slow.py')], 'test-runner': 'unittest', 'probe-timeout': '1s' } });
    expect(outcome.results.map((r) => [r.step, r.passed])).toEqual([['test_slow.py::Slow::test_takes_3_seconds', true]]);
    expect(outcome.results[0]!.durationMs).toBeGreaterThan(2900);
    expect(outcome.ok).toBe(true);
  });

  it('a cancelled run stops waiting for a test that hangs (no test-timeout): Blender is stopped, the tests not run', async () => {
    const cancel = new AbortController();
    const reporter = new RecordingReporter();
    reporter.onReady = () => setTimeout(() => cancel.abort(), 500);
    const { outcome } = await runFixture(blender, 'asyncio', {
      inputs: { tests: [file('test_hang.py')], 'test-runner': 'unittest' },
      signal: cancel.signal,
      reporter,
    });
    expect(outcome.cancelled).toBe(true);
    expect(outcome.results).toEqual([]);
    expect(outcome.notRun.map((s) => s.step)).toEqual(['test_hang.py::Hang::test_1_hangs', 'test_hang.py::Hang::test_2_after']);
    expect(outcome.teardown?.leftovers).toEqual([]);
  });
});

describeOnEachBlender('a suite written for pytest-blender, unmodified', (blender) => {
  it('its conftest installs the add-on and its own helper with install_addons_from_dir, its tests use the information fixtures; the probes still find the add-on enabled', async () => {
    const reporter = new RecordingReporter();
    const { outcome } = await runFixture(blender, 'asyncio', {
      steps: [SERVICE_STEPS[1]],
      inputs: { tests: [file('pytest-blender-suite/test_with_pytest_blender.py')], 'test-runner': 'pytest' },
      reporter,
    });
    expect(outcome.results.map((r) => [r.step.replace(/^.*::/, ''), r.passed, r.failure])).toEqual([
      ['test_the_addon_under_test_is_enabled', true, undefined],
      ['test_the_suites_own_addon_is_installed_and_enabled', true, undefined],
      ['test_the_information_fixtures', true, undefined],
      [SERVICE_STEPS[1]!.name, true, undefined],
    ]);
    expect(reporter.warnings).toEqual([
      expect.stringMatching(
        /pytest-blender-suite\/pytest\.ini sets pytest-blender's blender-executable, which means nothing here: the tests run in the Blender this run started \(blender-version or blender-path\)\.$/,
      ),
    ]);
    expect(outcome.ok).toBe(true);
  });
});

/** prefs_reader with `tests` under unittest on `blender`, with more inputs when given. */
async function runPrefsReader(blender: TestBlender, tests: string, extra: RawInputs = {}) {
  const reporter = new RecordingReporter();
  const config = parseRunConfig({
    addon: path.join(FIXTURES, 'addons', 'prefs_reader'),
    tests: [file(tests)],
    'test-runner': 'unittest',
    'blender-path': blender.executable,
    ...extra,
  });
  return { outcome: await runPipeline(requireAddon(config), reporter), reporter };
}

describeOnEachBlender('suites that enable the add-on themselves', (blender) => {
  it('start each file with it installed, not enabled, as their own loop: a factory reset and enabling in setUp pass, and it says why', async () => {
    const { outcome, reporter } = await runPrefsReader(blender, 'self-enabling');
    expect(outcome.results.map((r) => [r.step.replace(/^.*?::/, ''), r.passed, r.failure])).toEqual([
      ['FactoryReset::test_1_the_operator_runs', true, undefined],
      ['FactoryReset::test_2_its_preferences_are_there', true, undefined],
      ['FactoryReset::test_3_enabled', true, undefined],
      ['SetUpEnables::test_its_load_handler_did_not_run_for_the_file_loaded_before_enabling', true, undefined],
      ['SetUpEnables::test_the_operator_runs', true, undefined],
    ]);
    expect(reporter.infoLines).toContainEqual(
      expect.stringMatching(
        /^The tests enable it themselves \(.*self-enabling\/test_factory_reset\.py:\d+\), so each test file starts with prefs_reader installed, not enabled, as in their own loop; the probes get it enabled \(addon-state-in-tests: auto\)\.$/,
      ),
    );
    expect(outcome.ok).toBe(true);
  });

  it('tests in cases/ that enable it through a helper one folder up (their own import): found, so it is installed only, and they pass', async () => {
    const { outcome, reporter } = await runPrefsReader(blender, 'self-enabling-nested/xray_tests/cases');
    expect(reporter.infoLines).toContainEqual(
      expect.stringMatching(/^The tests enable it themselves \(.*self-enabling-nested\/xray_tests\/utils\.py:16\), so each/),
    );
    expect(outcome.results.map((r) => [r.step, r.passed])).toEqual([
      ['test_load_handler.py::LoadHandler::test_its_load_handler_did_not_run_for_the_file_loaded_before_enabling', true],
    ]);
    expect(outcome.ok).toBe(true);
  });

  it('addon-state-in-tests: enabled: its persistent load_post handler runs for the file the test loads before enabling it', async () => {
    const { outcome } = await runPrefsReader(blender, 'self-enabling/test_setup_enables.py', { 'addon-state-in-tests': 'enabled' });
    expect(outcome.results.filter((r) => !r.passed).map((r) => r.step)).toEqual([
      'test_setup_enables.py::SetUpEnables::test_its_load_handler_did_not_run_for_the_file_loaded_before_enabling',
    ]);
    expect(outcome.ok).toBe(false);
  });
});

describeOnEachBlender(
  'suites that enable the add-on themselves, on the Blenders the issue measured (before 4.2)',
  (blender) => {
    it('addon-state-in-tests: enabled: the factory reset calls an unregister() that cannot run', async () => {
      const { outcome } = await runPrefsReader(blender, 'self-enabling', { 'addon-state-in-tests': 'enabled' });
      expect(outcome.results.some((r) => r.step.includes('FactoryReset') && !r.passed)).toBe(true);
      expect(outcome.ok).toBe(false);
    });
  },
  testBlenders({ below: '4.2' }),
);

/** The in-package fixture as an extension: the same folder with a manifest (a dual add-on is an extension on 4.2+). */
async function inPackageExtension(): Promise<string> {
  const folder = path.join(await mkdtemp(path.join(os.tmpdir(), 'bg-inpkg-')), 'inpkg');
  await cp(path.join(FIXTURES, 'addons', 'inpkg'), folder, { recursive: true });
  await writeFile(
    path.join(folder, 'blender_manifest.toml'),
    'schema_version = "1.0.0"\nid = "inpkg"\nversion = "1.0.0"\nname = "In-package tests"\ntagline = "Tests inside the add-on"\nmaintainer = "blender-bg-action"\ntype = "add-on"\nblender_version_min = "4.2.0"\nlicense = ["SPDX:GPL-3.0-or-later"]\n',
  );
  return folder;
}

describeOnEachBlender('tests inside the add-on package (a testing/ subpackage importing ..core)', (blender) => {
  const kinds = capabilitiesOf(versionOf(blender)).extensions ? ['legacy', 'extension'] : ['legacy'];
  for (const kind of kinds) {
    for (const runner of ['unittest', 'pytest'] as const) {
      it(`${kind}, ${runner}: they run as submodules of the registered add-on, named by the user's file`, async () => {
        const addon = kind === 'legacy' ? path.join(FIXTURES, 'addons', 'inpkg') : await inPackageExtension();
        const outcome = await runPipeline(
          requireAddon(parseRunConfig({ addon, tests: [path.join(addon, 'testing')], 'test-runner': runner, 'blender-path': blender.executable })),
          new RecordingReporter(),
        );
        expect(outcome.results.map((r) => [r.step, r.passed, r.failure])).toEqual(
          [
            ['test_core.py::SeesTheRegisteredAddon::test_a_helper_beside_it_sees_the_same_modules', true, undefined],
            ['test_core.py::SeesTheRegisteredAddon::test_its_operator_class_is_registered', true, undefined],
            ['test_core.py::SeesTheRegisteredAddon::test_its_register_ran_on_these_modules', true, undefined],
          ].sort((a, b) => (runner === 'pytest' ? 0 : String(a[0]).localeCompare(String(b[0])))),
        );
        for (const result of outcome.results) expect(path.resolve(result.file)).toBe(path.join(addon, 'testing', 'test_core.py'));
        expect(outcome.ok).toBe(true);
      });
    }
  }
});

describeOnEachBlender(
  'a suite that imports an extension by its source folder’s name (src/ on sys.path in its own loop)',
  (blender) => {
    for (const runner of ['unittest', 'pytest'] as const) {
      it(`${runner}: imports and enables it by that name, finds the repository from its __file__, as in its own loop; the checkout stays clean`, async () => {
        const repository = await mkdtemp(path.join(os.tmpdir(), 'bg-source-name-'));
        await cp(file('source-name-suite'), repository, { recursive: true });
        await mkdir(path.join(repository, '.git'));
        const reporter = new RecordingReporter();
        const outcome = await runPipeline(
          requireAddon(
            parseRunConfig({
              addon: path.join(repository, 'src', 'srcname_tool'),
              tests: [path.join(repository, 'tests')],
              'test-runner': runner,
              'blender-path': blender.executable,
            }),
          ),
          reporter,
        );
        expect(outcome.results.map((r) => [r.step.replace(/^.*?::/, ''), r.passed, r.failure]).sort()).toEqual([
          ['ByFolderName::test_its_operator_runs', true, undefined],
          ['ByFolderName::test_the_module_it_imported_is_the_one_enabled', true, undefined],
          ['ByFolderName::test_the_repository_is_found_from_its_file', true, undefined],
        ]);
        expect(reporter.infoLines).toContainEqual(
          `The tests import the add-on by its folder's name (${path.join(repository, 'tests', 'test_by_folder_name.py')}:11), so ${path.join(repository, 'src')} is on sys.path while they run, as in their own loop: srcname_tool is your checkout's files (Blender enabled a copy of them as bl_ext.user_default.bgfix_source_tool).`,
        );
        expect(outcome.ok).toBe(true);
        expect(execFileSync('find', [repository, '-name', '__pycache__'], { encoding: 'utf8' })).toBe('');
      });
    }
  },
  testBlenders({ min: '4.2' }),
);
