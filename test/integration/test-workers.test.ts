import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { resultFileOf } from '../../src/report/result-file.js';
import { resultFileText } from '../../src/result-file/format.js';
import { describeOnEachBlender } from '../helpers/blender.js';
import { FIXTURES, SERVICE_STEPS, runFixture } from '../helpers/fixture-run.js';
import { RecordingReporter } from '../helpers/recording-reporter.js';

const UNIT = path.join(FIXTURES, 'unit-tests');
const SUITE = path.join(UNIT, 'existing-suite', 'python');
const file = (name: string) => path.join(UNIT, name);
const outcomes = (results: { step: string; passed: boolean; failure?: string }[]) => results.map((r) => [r.step, r.passed]);

describeOnEachBlender('the add-on’s tests on several Blenders at once (test-workers)', (blender) => {
  it('several files over 2 workers give the results 1 worker gives, in the same order; each worker stops cleanly', async () => {
    const tests = [file('test_unittest_outcomes.py'), file('test_inside_blender.py'), SUITE];
    const env = ['FIXTURE_PORT={port}'];
    const one = await runFixture(blender, 'asyncio', { inputs: { tests, 'test-runner': 'unittest' } });
    const reporter = new RecordingReporter();
    const two = await runFixture(blender, 'asyncio', { reporter, inputs: { tests, 'test-runner': 'unittest', 'test-workers': '2', 'worker-env': env } });
    expect(reporter.infoLines).toContain("The add-on's tests ran with unittest inside Blender on 2 workers.");
    expect(outcomes(two.outcome.results)).toEqual(outcomes(one.outcome.results));
    expect(two.outcome.notRun).toEqual(one.outcome.notRun);
    expect(two.outcome.failure).toBe(one.outcome.failure);
    expect(two.outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });
    // A failure says which worker's log to read.
    expect(two.outcome.results.find((r) => !r.passed)?.details).toMatch(/Blender log \(test worker [12]\): .*blender-[0-9a-f-]+\.log$/);
  });

  it('a suite that is not parallel-safe (a shared output folder) gets the verdict one worker gives: the file that failed beside another passes alone, and the run says so', async () => {
    // A fresh copy per run: the files leave their markers and output behind.
    const fresh = async () => {
      const suite = path.join(await mkdtemp(path.join(os.tmpdir(), 'bg-colliding-')), 'tests');
      await cp(file('colliding'), suite, { recursive: true });
      return suite;
    };
    const one = await runFixture(blender, 'asyncio', { inputs: { tests: [await fresh()], 'test-runner': 'unittest' } });
    const reporter = new RecordingReporter();
    const two = await runFixture(blender, 'asyncio', {
      reporter,
      inputs: { tests: [await fresh()], 'test-runner': 'unittest', 'test-workers': '2', 'worker-env': ['FIXTURE_PORT={port}'] },
    });
    expect(outcomes(one.outcome.results)).toEqual([
      ['test_a_exports.py::Exports::test_the_export_is_written', true],
      ['test_b_cleans.py::Cleans::test_the_folder_starts_empty', true],
    ]);
    expect(outcomes(two.outcome.results)).toEqual(outcomes(one.outcome.results));
    expect(two.outcome.ok).toBe(true);
    expect(two.outcome.parallelUnsafe).toEqual([
      {
        file: expect.stringMatching(/test_a_exports\.py$/),
        ranWith: [expect.stringMatching(/test_b_cleans\.py$/)],
        test: 'test_a_exports.py::Exports::test_the_export_is_written',
        failure: expect.stringContaining('Exported PMX file'),
        aloneMs: expect.any(Number),
      },
    ]);
    expect(reporter.warnings).toContainEqual(
      expect.stringMatching(
        /test_a_exports\.py is not parallel-safe: test_a_exports\.py::Exports::test_the_export_is_written failed while .*test_b_cleans\.py ran beside it \(AssertionError: .*Exported PMX file .* was not created\), and passed when run again alone/,
      ),
    );
    // Shown once, with its final result: the failure beside test_b is not reported as a result.
    expect(reporter.steps.filter((r) => r.step.startsWith('test_a_exports.py')).map((r) => r.passed)).toEqual([true]);
  });

  it('the next run remembers it (shard-durations: the result file): the file runs alone from the start, with the same verdict, and is named again', async () => {
    // The same folder both times (files are remembered as reports name them), copied afresh for each run.
    const suite = path.join(await mkdtemp(path.join(os.tmpdir(), 'bg-colliding-')), 'tests');
    const fresh = async () => {
      await rm(suite, { recursive: true, force: true });
      await cp(file('colliding'), suite, { recursive: true });
      return suite;
    };
    const resultPath = path.join(path.dirname(suite), 'result.json');
    const inputs = { 'test-runner': 'unittest', 'test-workers': '2', 'worker-env': ['FIXTURE_PORT={port}'] };
    const first = await runFixture(blender, 'asyncio', { inputs: { ...inputs, tests: [await fresh()] } });
    expect(first.outcome.parallelUnsafe.map((f) => f.remembered)).toEqual([undefined]);
    await writeFile(resultPath, resultFileText(resultFileOf(first.outcome, { addonInput: 'fixture', toolVersion: '0' }))); // as result-path writes it
    const reporter = new RecordingReporter();
    const second = await runFixture(blender, 'asyncio', { reporter, inputs: { ...inputs, tests: [await fresh()], 'shard-durations': [resultPath] } });
    expect(outcomes(second.outcome.results)).toEqual(outcomes(first.outcome.results));
    expect(second.outcome.ok).toBe(true);
    expect(second.outcome.parallelUnsafe).toEqual([
      { file: expect.stringMatching(/test_a_exports\.py$/), ranWith: [], test: '', failure: undefined, aloneMs: expect.any(Number), remembered: true },
    ]);
    expect(reporter.warnings).toContainEqual(
      expect.stringMatching(/test_a_exports\.py ran alone, after the other files \(.*\): an earlier run found it not parallel-safe \(shard-durations\)/),
    );
    // never tried beside test_b: one result, passing
    expect(reporter.steps.filter((r) => r.step.startsWith('test_a_exports.py')).map((r) => r.passed)).toEqual([true]);
  });

  it('a crash in one worker fails only the file it held; the other worker runs the rest, then the probes run', async () => {
    const tests = [file('test_unittest_outcomes.py'), file('test_crash.py'), file('test_inside_blender.py'), SUITE];
    const { outcome } = await runFixture(blender, 'asyncio', {
      steps: [SERVICE_STEPS[1]],
      inputs: { tests, 'test-runner': 'unittest', 'test-workers': '2', 'worker-env': ['FIXTURE_PORT={port}'] },
    });
    const crash = outcome.results.find((r) => r.step === 'test_crash.py::Crash::test_2_crashes');
    expect(crash).toMatchObject({ passed: false, failure: 'Blender was killed by SIGSEGV during this test' });
    // Not run: the crashed file's rest, and the tests failing class fixtures kept from running anyway.
    expect(outcome.notRun.map((s) => s.step).sort()).toEqual([
      'test_crash.py::Crash::test_3_after',
      'test_sys_exit.py::ExitsInSetUpClass::test_never_runs',
      'test_unittest_outcomes.py::BrokenClass::test_never_runs',
    ]);
    for (const ran of [
      'test_inside_blender.py::InsideBlender::test_main_thread_and_scene',
      'foo_test.py::FooTest::test_relative_import_and_numpy',
      'test_zz_after.py::AfterReset::test_the_addon_is_enabled',
    ]) {
      expect(
        outcome.results.find((r) => r.step === ran),
        ran,
      ).toMatchObject({ passed: true });
    }
    expect(outcome.results.filter((r) => r.kind !== 'test').map((r) => r.passed)).toEqual([true]);
    expect(outcome.details).toMatch(/Test worker 2: Blender was killed by SIGSEGV before it was asked to stop/);
  });

  it('a service add-on on a port: tests on 2 workers with worker-env, probes once; without worker-env, one worker and why', async () => {
    const tests = [file('test_inside_blender.py'), file('test_unittest_outcomes.py')];
    const withEnv = await runFixture(blender, 'asyncio', {
      steps: SERVICE_STEPS,
      inputs: { tests, 'test-runner': 'unittest', 'test-workers': '2', 'worker-env': ['FIXTURE_PORT={port}'] },
    });
    expect(withEnv.reporter.infoLines).toContain("The add-on's tests ran with unittest inside Blender on 2 workers.");
    expect(withEnv.outcome.results.filter((r) => r.kind !== 'test').map((r) => [r.step, r.passed])).toEqual(SERVICE_STEPS.map((s) => [s.name, true]));
    expect(withEnv.outcome.results.find((r) => r.step === 'test_inside_blender.py::InsideBlender::test_own_port_is_refused_not_a_hang')).toMatchObject({
      passed: true,
    });

    const without = await runFixture(blender, 'asyncio', { steps: [SERVICE_STEPS[1]], inputs: { tests, 'test-runner': 'unittest', 'test-workers': '2' } });
    expect(without.reporter.infoLines).toContain(
      `The tests run on one worker, not 2: the add-on serves on port ${without.port}, which only one Blender can open; name the variable it reads its port from in worker-env (e.g. MY_ADDON_PORT={port}) to give each worker its own.`,
    );
    expect(without.reporter.infoLines).toContain("The add-on's tests ran with unittest inside Blender.");
    expect(without.outcome.results.filter((r) => r.kind !== 'test').map((r) => r.passed)).toEqual([true]);
  });
});
