import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { compareVersions, parseVersion } from '../../src/blender/version.js';
import { junitXml } from '../../src/report/junit.js';
import { type ResultFile, parseResultFile } from '../../src/result-file/format.js';
import { runAndReport } from '../../src/run-and-report.js';
import { TEST_BLENDERS, describeOnEachBlender, versionOf } from '../helpers/blender.js';
import { EXAMPLE_ADDON, EXAMPLE_PROBES, FIXTURES } from '../helpers/fixture-run.js';
import { RecordingReporter } from '../helpers/recording-reporter.js';

const ADDON = path.join(FIXTURES, 'addons', 'deprecated_calls');
const INIT = path.relative(process.cwd(), path.join(ADDON, '__init__.py'));
const WARNS = path.join(FIXTURES, 'unit-tests', 'test_warns.py');
const LIBRARY = path.join(FIXTURES, 'deprecation-library');

/** The line of `text` in the fixture add-on's __init__.py, so the test does not hard-code numbers. */
async function lineOf(text: string): Promise<number> {
  const lines = (await readFile(path.join(ADDON, '__init__.py'), 'utf8')).split('\n');
  return lines.findIndex((line) => line.includes(text)) + 1;
}

async function readResult(file: string): Promise<ResultFile> {
  const parsed = parseResultFile(await readFile(file, 'utf8'), file);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

describeOnEachBlender('deprecations, attributed to the add-on’s own lines', (blender) => {
  const python312 = compareVersions(versionOf(blender), [4, 2, 0]) >= 0; // Debian's 4.3 and 5.2 run Python 3.13 and 3.14

  it('from import to unregister, each once with its line in the repository; a library’s warning on the add-on line that called it', async () => {
    const reporter = new RecordingReporter();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-deprecations-'));
    const resultPath = path.join(dir, 'result.json');
    const outcome = await runAndReport(
      {
        addon: ADDON,
        'blender-path': blender.executable,
        env: [`DEPRECATION_LIBRARY=${LIBRARY}`],
        tests: [WARNS],
        'test-runner': 'pytest',
        'result-path': resultPath,
      },
      reporter,
    );
    expect(outcome.ok).toBe(true); // deprecations: warn
    const python = outcome.deprecations.filter((d) => d.source === 'python').map((d) => [d.file, d.line, d.category, d.message, d.count]);
    expect(python).toEqual(
      expect.arrayContaining([
        [INIT, await lineOf('warnings.warn("deprecated_calls.old_api'), 'DeprecationWarning', 'deprecated_calls.old_api is deprecated; use new_api', 1],
        [INIT, await lineOf('oldlib.old()  #'), 'DeprecationWarning', 'oldlib.old is deprecated', 1],
        [
          INIT,
          await lineOf('warnings.warn("deprecated_calls.unregister'),
          'PendingDeprecationWarning',
          'deprecated_calls.unregister still uses the old teardown',
          1,
        ],
        [path.relative(process.cwd(), WARNS), 7, 'DeprecationWarning', 'the old helper is deprecated', 1],
      ]),
    );
    const utcnow = python.filter(([, , , message]) => String(message).includes('utcnow')).length;
    expect(utcnow, 'datetime.utcnow() is deprecated from Python 3.12 only').toBe(python312 ? 1 : 0);
    expect(python).toHaveLength(python312 ? 5 : 4);
    if (versionOf(blender)[0] === 4) {
      // Blender 4.x's own notice for the bgl import (5.0 removed the module; 3.4 has it without a notice).
      expect(outcome.deprecations).toContainEqual(
        expect.objectContaining({ source: 'blender', message: expect.stringContaining('Please update your add-ons') }),
      );
    }
    // Nothing from Blender's own code or the driver's, nor the library's own line.
    expect(outcome.deprecations.every((d) => d.source === 'blender' || d.file === INIT || d.file?.endsWith('test_warns.py'))).toBe(true);

    // Reported: the terminal-style lines, JUnit's session system-out, the result file.
    expect(junitXml(outcome)).toMatch(
      new RegExp(`<system-out>[^<]*${INIT.replace(/[./]/g, '\\$&')}:\\d+: DeprecationWarning: deprecated_calls\\.old_api is deprecated`),
    );
    expect((await readResult(resultPath)).deprecations).toHaveLength(outcome.deprecations.length);
  });

  it('deprecations: fail fails the run, naming the first', async () => {
    const outcome = await runAndReport(
      { addon: ADDON, 'blender-path': blender.executable, env: [`DEPRECATION_LIBRARY=${LIBRARY}`], deprecations: 'fail' },
      new RecordingReporter(),
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toMatch(
      new RegExp(`^\\d deprecations with deprecations: fail; first: ${INIT.replace(/[./]/g, '\\$&')}:\\d+: DeprecationWarning: `),
    );
  });
});

it('mode: report over every test Blender’s result file: a test that fails from Blender 5 on is named with 5’s version, the session rows, a merged JUnit', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-matrix-'));
  const test = path.join(dir, 'test_versions.py');
  await writeFile(
    test,
    [
      'import unittest',
      'import bpy',
      '',
      'class Versions(unittest.TestCase):',
      '    def test_everywhere(self):',
      '        self.assertTrue(bpy.app.version >= (2, 93, 0))',
      '',
      '    def test_before_blender_5(self):',
      '        self.assertLess(bpy.app.version, (5, 0, 0))',
      '',
    ].join('\n'),
  );
  const resultFiles: string[] = [];
  for (const [index, blender] of TEST_BLENDERS.entries()) {
    const resultPath = path.join(dir, 'results', `blender-${index}.json`);
    await runAndReport(
      { addon: EXAMPLE_ADDON, 'blender-path': blender.executable, tests: [test], 'test-runner': 'unittest', 'result-path': resultPath },
      new RecordingReporter(),
    );
    resultFiles.push(resultPath);
  }
  const reporter = new RecordingReporter();
  const junitPath = path.join(dir, 'merged.xml');
  const outcome = await runAndReport({ mode: 'report', results: [path.join(dir, 'results', '*.json')], 'junit-path': junitPath }, reporter);
  expect(outcome.ok).toBe(true);
  const report = reporter.matrixReport!;
  const versions = [...TEST_BLENDERS.map((b) => b.version)].sort((a, b) => compareVersions(parseVersion(a)!, parseVersion(b)!));
  const fromFive = versions.filter((v) => parseVersion(v)![0] >= 5);
  // Columns are what Blender calls itself: "5.2.2 LTS".
  const column = (version: string) => report.columns.find((c) => c === version || c.startsWith(`${version} `));
  expect(report.columns).toEqual(versions.map(column));
  const row = report.rows.find((r) => r.id === 'test_versions.py::Versions::test_before_blender_5')!;
  expect(row.firstFailing).toBe(fromFive[0] && column(fromFive[0]));
  expect(report.failingColumns).toEqual(fromFive.map(column));
  expect(report.rows.find((r) => r.id === 'Blender session')!.cells.size).toBe(versions.length);
  const merged = await readFile(junitPath, 'utf8');
  for (const version of versions) expect(merged).toContain(`<testsuite name="Blender ${column(version)}"`);
});

it('result files for a passing, a failing and a cancelled run; an unwritable junit-path is one sentence, and the result file is still written', async () => {
  const [blender] = TEST_BLENDERS;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-results-'));
  const run = async (name: string, extra: Record<string, string | string[]>, signal?: AbortSignal, reporter = new RecordingReporter()) => {
    const resultPath = path.join(dir, `${name}.json`);
    const outcome = await runAndReport(
      { addon: EXAMPLE_ADDON, port: '6688', 'blender-path': blender!.executable, 'result-path': resultPath, ...extra },
      reporter,
      { cancellation: signal && { signal } },
    );
    return { outcome, result: await readResult(resultPath) };
  };
  const passing = await run('passing', { probes: [EXAMPLE_PROBES.echo] });
  expect(passing.result).toMatchObject({
    verdict: { ok: true, cancelled: false },
    session: { ready: true, teardown: 'graceful' },
    blender: { version: blender!.version },
  });
  expect(passing.result.results.length).toBeGreaterThan(0);

  const failingProbe = path.join(dir, 'failing.json');
  await writeFile(
    failingProbe,
    JSON.stringify({ name: 'fails', steps: [{ name: 'wrong', send: { type: 'echo', params: { text: 'a' } }, expect: { result: { text: 'b' } } }] }),
  );
  const failing = await run('failing', { probes: [failingProbe] });
  expect(failing.result.verdict).toMatchObject({ ok: false, failure: expect.stringContaining('1 of 1 probe steps failed') });
  expect(failing.result.results).toEqual([expect.objectContaining({ id: 'wrong', outcome: 'failed' })]);

  const cancel = new AbortController();
  const reporter = new RecordingReporter();
  reporter.onReady = () => cancel.abort();
  const cancelled = await run('cancelled', { probes: [EXAMPLE_PROBES.echo] }, cancel.signal, reporter);
  expect(cancelled.result.verdict).toMatchObject({ ok: false, cancelled: true });

  const folder = path.join(dir, 'a-folder');
  await mkdir(folder);
  const unwritable = await run('unwritable', { probes: [EXAMPLE_PROBES.echo], 'junit-path': folder });
  expect(unwritable.outcome.failure).toBe(`Input 'junit-path': ${folder} could not be written (it is a directory).`);
  expect(unwritable.result.verdict.ok).toBe(true); // the run itself passed: the result file says so
});
