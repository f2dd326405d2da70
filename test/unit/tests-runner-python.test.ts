import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'unit-tests');

/** The in-Blender test runner's events, run by plain Python (it needs no bpy for these files). */
async function events(runner: string, ...files: string[]): Promise<Record<string, unknown>[]> {
  return eventsWith({}, runner, ...files);
}

async function eventsWith(env: Record<string, string>, runner: string, ...files: string[]): Promise<Record<string, unknown>[]> {
  const result = await execa(
    'python3',
    ['-B', path.join(ROOT, 'test', 'python', 'print_test_events.py'), runner, ...files.map((f) => path.join(FIXTURES, f))],
    { reject: false, env },
  );
  return result.stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('python/blender_bg_tests.py under plain Python (unittest)', () => {
  it('streams one start and one result per test, in file::Class::test names, with every outcome', async () => {
    const all = await events('unittest', 'test_unittest_outcomes.py');
    const results = Object.fromEntries(all.filter((e) => e['event'] === 'result').map((e) => [e['id'], [e['outcome'], e['line'], e['message']]]));
    const name = (test: string) => `test_unittest_outcomes.py::${test}`;
    expect(results).toEqual({
      [name('Outcomes::test_passes')]: ['passed', 25, null],
      [name('Outcomes::test_fails')]: ['failed', 29, 'AssertionError: 41 != 42'],
      [name('Outcomes::test_errors')]: ['error', 32, 'RuntimeError: boom'],
      [name('Outcomes::test_skipped')]: ['skipped', 34, 'not today'],
      [name('Outcomes::test_expected_failure')]: ['passed', 38, 'failed as expected (expectedFailure)'],
      [name('Outcomes::test_subtests')]: ['failed', 45, '(n=2) AssertionError: 2 == 2'],
      [name('Outcomes::test_fixtures_ran_once')]: ['passed', 47, null],
      [name('BrokenClass::setUpClass')]: ['error', 54, 'ValueError: class fixture fails'],
    });
    expect(all[0]).toMatchObject({ event: 'collected', errors: [] });
    expect(all.at(-1)).toEqual({ event: 'done', runner: 'unittest' });
    const starts = all.filter((e) => e['event'] === 'start').length;
    expect(starts).toBe(Object.keys(results).length);
  });

  it('a file that does not parse is one collection error at its line; the other files still run', async () => {
    const all = await events('unittest', 'test_broken.py', 'test_unittest_outcomes.py');
    expect(all[0]).toMatchObject({
      event: 'collected',
      errors: [{ file: expect.stringMatching(/test_broken\.py$/), line: 3, message: 'could not be collected: SyntaxError: invalid syntax' }],
    });
    expect(all.filter((e) => e['event'] === 'result').length).toBe(8);
  });

  it('pytest-style tests where pytest is not importable (a blender.org Blender): the file fails, saying how to get pytest', async () => {
    const all = await eventsWith({ BLENDER_BG_HIDE_PYTEST: '1' }, 'auto', 'test_plain_functions.py', 'test_pytest_style.py');
    const advice = "pytest is not importable in this Blender's Python 3\\.\\d+: add it with the python-packages input \\(python-packages: pytest\\)";
    expect(all[0]).toMatchObject({
      event: 'collected',
      tests: [],
      errors: [
        {
          id: 'test_plain_functions.py (pytest-style tests)',
          line: 4,
          message: expect.stringMatching(new RegExp(`^2 pytest-style tests \\(test_adds, TestWords\\) that unittest cannot run; ${advice}$`)),
        },
        // A file that imports pytest does not even import: the sentence says why.
        {
          id: 'test_pytest_style.py (collecting)',
          line: 3,
          message: expect.stringMatching(new RegExp(`^could not be collected: ModuleNotFoundError: .*pytest.*; ${advice}$`)),
        },
      ],
    });
    expect(all.at(-1)).toEqual({ event: 'done', runner: 'unittest' });
  });

  it('a package file is imported by its dotted name: its relative import works (it fails on bpy or numpy, which plain Python lacks), and the other files still run', async () => {
    const all = await events('unittest', 'existing-suite/python/mytests/foo_test.py', 'test_unittest_outcomes.py');
    const failed = all.filter((e) => e['event'] === 'result' && e['outcome'] !== 'passed' && e['outcome'] !== 'skipped').map((e) => e['id']);
    // numpy and bpy are not in plain Python: the package file fails to import on those, not on the relative import.
    expect(all[0]).toMatchObject({
      event: 'collected',
      errors: [
        { id: 'foo_test.py (collecting)', message: expect.stringMatching(/^could not be collected: ModuleNotFoundError: No module named '(bpy|numpy)'$/) },
      ],
    });
    expect(failed).toContain('test_unittest_outcomes.py::Outcomes::test_fails');
  });

  for (const runner of ['unittest', 'pytest']) {
    it(`${runner}: each file's time follows its last result (what a shard plan weighs it by)`, async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-file-times-'));
      await writeFile(
        path.join(dir, 'test_a_slow.py'),
        'import time\nimport unittest\n\n\nclass Slow(unittest.TestCase):\n    @classmethod\n    def setUpClass(cls):\n        time.sleep(0.3)\n\n    def test_x(self):\n        pass\n',
      );
      await writeFile(path.join(dir, 'test_b_quick.py'), 'import unittest\n\n\nclass Quick(unittest.TestCase):\n    def test_y(self):\n        pass\n');
      const result = await execa(
        'python3',
        ['-B', path.join(ROOT, 'test', 'python', 'print_test_events.py'), runner, path.join(dir, 'test_a_slow.py'), path.join(dir, 'test_b_quick.py')],
        { reject: false },
      );
      const all = result.stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(all.filter((e) => e['event'] !== 'collected').map((e) => [e['event'], path.basename(String(e['file'] ?? e['id']).split('::')[0]!)])).toEqual([
        ['start', 'test_a_slow.py'],
        ['result', 'test_a_slow.py'],
        ['file', 'test_a_slow.py'],
        ['start', 'test_b_quick.py'],
        ['result', 'test_b_quick.py'],
        ['file', 'test_b_quick.py'],
        ['done', 'undefined'],
      ]);
      const seconds = all.filter((e) => e['event'] === 'file').map((e) => e['duration'] as number);
      // The class fixture's 0.3 s is the file's, not its test's.
      expect(seconds[0]).toBeGreaterThanOrEqual(0.3);
      expect(seconds[1]).toBeLessThan(0.3);
    });
  }
});
