import { describe, expect, it } from 'vitest';
import { outcomeBeforeLaunch } from '../../../src/report/outcome.js';
import { resultFileOf } from '../../../src/report/result-file.js';
import { RESULT_SCHEMA_VERSION, parseResultFile, resultFileText } from '../../../src/result-file/format.js';
import { outcomeOf, stepResult } from '../../helpers/results.js';

describe('the result file', () => {
  it('holds what the run decided, and reads back through the same schema', () => {
    const outcome = outcomeOf([stepResult('probes/a.json', 'echo', true), stepResult('probes/a.json', 'scene', false, 9)], {
      ok: false,
      failure: '1 of 2 probe steps failed',
      deprecations: [{ source: 'python', category: 'DeprecationWarning', message: 'old', file: 'addon/x.py', line: 3, count: 2 }],
    });
    const file = resultFileOf(outcome, { addonInput: './addon', toolVersion: '1.2.3', finishedAt: new Date(0) });
    expect(file).toMatchObject({
      schema: RESULT_SCHEMA_VERSION,
      tool: { name: 'blender-bg-action', version: '1.2.3' },
      finishedAt: '1970-01-01T00:00:00.000Z',
      blender: { version: '3.4.1', executable: '/usr/bin/blender' },
      addon: { input: './addon', module: 'my_addon' },
      verdict: { ok: false, failure: '1 of 2 probe steps failed', cancelled: false },
      session: { ready: true, teardown: 'graceful', leftovers: 0 },
      results: [
        { id: 'echo', kind: 'send', file: 'probes/a.json', line: 3, outcome: 'passed' },
        { id: 'scene', outcome: 'failed', line: 9, message: expect.stringContaining('expected 1, got 2') },
      ],
      deprecations: [{ file: 'addon/x.py', line: 3, count: 2 }],
      timings: { readyMs: 900, teardownMs: 80 },
    });
    expect(parseResultFile(resultFileText(file), 'r.json')).toEqual(JSON.parse(resultFileText(file)));
  });

  it('names the test files that were not parallel-safe (absent when there are none)', () => {
    const unsafe = { file: 'tests/test_a.py', ranWith: ['tests/test_b.py'], test: 'test_a.py::A::test_x', failure: 'AssertionError: gone', aloneMs: 812 };
    const file = resultFileOf(outcomeOf([stepResult('tests/test_a.py', 'test_a.py::A::test_x', true)], { parallelUnsafe: [unsafe] }), {
      addonInput: './addon',
      toolVersion: '1',
    });
    expect(file.parallelUnsafe).toEqual([unsafe]);
    expect(parseResultFile(resultFileText(file), 'r.json')).toMatchObject({ parallelUnsafe: [unsafe] });
    expect(resultFileOf(outcomeOf([]), { addonInput: './addon', toolVersion: '1' })).not.toHaveProperty('parallelUnsafe');
  });

  it('a run refused before launch still has one: its sentence, no session', () => {
    const file = resultFileOf(outcomeBeforeLaunch("Input 'port' must be a whole number."), { addonInput: undefined, toolVersion: '1' });
    expect(file).toMatchObject({
      verdict: { ok: false, failure: "Input 'port' must be a whole number." },
      session: { ready: false, leftovers: 0 },
      results: [],
    });
    expect(typeof parseResultFile(resultFileText(file), 'r.json')).toBe('object');
  });

  it('what is not a result file of this schema is one sentence naming it', () => {
    expect(parseResultFile('{"schema": 1', 'results/a.json')).toBe('results/a.json is not a result file: it is not JSON.');
    expect(parseResultFile('{"schema": 2}', 'results/a.json')).toBe(
      'results/a.json is not a result file of schema 1 (its schema is 2); write it with this version of blender-bg-action.',
    );
    expect(parseResultFile('{}', 'results/a.json')).toBe(
      'results/a.json is not a result file of schema 1 (its schema is missing); write it with this version of blender-bg-action.',
    );
    expect(parseResultFile('{"schema": 1, "tool": {"name": "blender-bg-action", "version": "1"}}', 'r.json')).toMatch(
      /^r\.json is not a valid result file: finishedAt: /,
    );
  });
});
