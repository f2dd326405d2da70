import { describe, expect, it } from 'vitest';
import { pageModel } from '../../../src/html-report/page-model.js';
import { buildMatrix } from '../../../src/report/matrix.js';
import { resultFileOf } from '../../../src/report/result-file.js';
import { outcomeOf, stepResult } from '../../helpers/results.js';

const result = (version: string, passed: boolean) =>
  resultFileOf(
    outcomeOf(
      [
        stepResult('tests/test_a.py', 'test_a.py::A::test_ok', true, 3, { kind: 'test' }),
        stepResult('tests/test_a.py', 'test_a.py::A::test_scene', passed, 9, { kind: 'test', failure: 'AssertionError: 2 != 3', details: 'Traceback …' }),
      ],
      {
        blenderVersion: version,
        snapshots: [
          {
            file: 'p.json',
            line: 4,
            image: 'snapshots/gem.png',
            verdict: 'fail-differs',
            ratio: 0.125,
            actual: '/r/a.png',
            expected: '/r/e.png',
            diff: undefined,
          },
        ],
      },
    ),
    { addonInput: './my_addon', toolVersion: '1' },
  );

describe('the page model', () => {
  it('a run: failed entries first with their message and traceback, counts, snapshots with the pictures the writer copied', () => {
    const model = pageModel([{ label: '4.3.2', result: result('4.3.2', false) }], undefined, (file) => (file === '/r/a.png' ? 'images/1-a.png' : undefined));
    const [run] = model.runs;
    expect(model.title).toMatch(/ on Blender 4\.3\.2: failed$/);
    expect(run!.entries.map((e) => [e.id, e.outcome, e.at])).toEqual([
      ['test_a.py::A::test_scene', 'failed', 'tests/test_a.py:9'],
      ['test_a.py::A::test_ok', 'passed', 'tests/test_a.py:3'],
    ]);
    expect(run!.entries[0]).toMatchObject({ message: 'AssertionError: 2 != 3', details: 'Traceback …' });
    expect(run!.counts).toEqual({ passed: 1, failed: 1, skipped: 0, 'not-run': 0 });
    expect(run!.snapshots).toEqual([
      {
        at: 'p.json:4',
        image: 'snapshots/gem.png',
        verdict: 'fail-differs (12.50% of pixels differ)',
        actual: 'images/1-a.png',
        expected: undefined,
        diff: undefined,
      },
    ]);
    expect(model.matrix).toBeUndefined();
  });

  it('coverage by file, lowest first, with the lines not run as ranges', () => {
    const coverage = {
      percent: 75,
      lines: { covered: 3, total: 4 },
      branches: { covered: 0, total: 0 },
      files: [{ file: 'my_addon/ops.py', percent: 62.5, covered: 5, total: 8, missing: [3, 4, 5, 9] }],
      path: undefined,
    };
    const withCoverage = resultFileOf(outcomeOf([], { blenderVersion: '4.3.2', coverage }), { addonInput: './my_addon', toolVersion: '1' });
    expect(pageModel([{ label: '4.3.2', result: withCoverage }], undefined, () => undefined).runs[0]!.coverage).toEqual({
      percent: '75%',
      files: [{ file: 'my_addon/ops.py', percent: '62.5%', missing: '3-5, 9' }],
    });
  });

  it('a matrix: Blender versions as columns, each row with where it fails from', () => {
    const files = [result('3.4.1', true), result('5.2.2', false)];
    const model = pageModel(
      files.map((r) => ({ label: r.blender.version!, result: r })),
      buildMatrix(files),
      () => undefined,
    );
    expect(model.title).toMatch(/ on 2 Blenders: failed$/);
    expect(model.matrix!.columns).toEqual(['3.4.1', '5.2.2']);
    const row = model.matrix!.rows.find((r) => r.name.includes('test_scene'))!;
    expect(row.cells.map((c) => c?.outcome)).toEqual(['passed', 'failed']);
    expect(row.firstFailing).toBe('5.2.2');
  });
});
