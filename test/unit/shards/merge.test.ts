import { describe, expect, it } from 'vitest';
import { resultFileOf } from '../../../src/report/result-file.js';
import { type ResultFile } from '../../../src/result-file/format.js';
import { mergeShards } from '../../../src/shards/merge.js';
import { outcomeOf, stepResult } from '../../helpers/results.js';

/** A shard's result file: one passing test per file it ran, each file's time, the tests' wall time. */
function shard(
  index: number,
  total: number,
  files: Record<string, number>,
  extra: { fingerprint?: string; version?: string; testsMs?: number; ran?: string[] } = {},
): ResultFile {
  const ran = extra.ran ?? Object.keys(files);
  const outcome = outcomeOf(
    ran.map((file) => stepResult(file, `${file.replace(/.*\//, '')}::T::test`, true, 1, { kind: 'test' })),
    {
      blenderVersion: extra.version ?? '4.3.2',
      fileTimes: ran.map((file) => ({ file, ms: files[file] ?? 0 })),
      testsMs: extra.testsMs ?? Object.values(files).reduce((a, b) => a + b, 0),
      shard: { index, total, fingerprint: extra.fingerprint ?? 'f1', files: Object.keys(files), withoutDuration: 0, byCount: false },
    },
  );
  return resultFileOf(outcome, { addonInput: './addon', toolVersion: '1' });
}
const named = (results: ResultFile[]) => results.map((result, i) => ({ file: `results/${i}.json`, result }));

describe('mergeShards: the shards of one Blender as one column', () => {
  it('three shards become one result with every row; the unsharded files pass through; the balance in one line', () => {
    const other = resultFileOf(outcomeOf([stepResult('tests/test_a.py', 'test_a.py::T::test', true, 1, { kind: 'test' })], { blenderVersion: '3.4.1' }), {
      addonInput: './addon',
      toolVersion: '1',
    });
    const merged = mergeShards(
      named([shard(2, 3, { 'tests/test_b.py': 1000 }), other, shard(1, 3, { 'tests/test_a.py': 1000 }), shard(3, 3, { 'tests/test_c.py': 1100 })]),
    );
    expect(merged.problems).toEqual([]);
    expect(merged.results).toHaveLength(2);
    const [unsharded, one] = merged.results;
    expect(unsharded).toBe(other);
    expect(one!.results.map((r) => r.id)).toEqual(['test_a.py::T::test', 'test_b.py::T::test', 'test_c.py::T::test']);
    expect(one).toMatchObject({
      verdict: { ok: true },
      session: { ready: true, teardown: 'graceful' },
      testFiles: [{ file: 'tests/test_a.py' }, { file: 'tests/test_b.py' }, { file: 'tests/test_c.py' }],
    });
    expect(one).not.toHaveProperty('shard');
    expect(merged.notes).toEqual(['Blender 4.3.2: 3 shards, their tests took 1s, 1s, 1.1s; balance 1.06 (slowest / mean).']);
  });

  it('a balance off the target says why: files without a duration, a file longer than a shard’s mean', () => {
    const off = mergeShards(named([shard(1, 2, { 'tests/huge.py': 9000 }), shard(2, 2, { 'tests/a.py': 500, 'tests/b.py': 500 })]));
    expect(off.notes).toEqual([
      "Blender 4.3.2: 2 shards, their tests took 9s, 1s; balance 1.80 (slowest / mean), off because tests/huge.py alone took 9s, more than a shard's mean.",
    ]);
  });

  it('shards planned differently fail the report, naming each plan', () => {
    const merged = mergeShards(named([shard(1, 2, { 'tests/a.py': 1 }), shard(2, 2, { 'tests/b.py': 1 }, { fingerprint: 'f2' })]));
    expect(merged.problems).toEqual([
      'Blender 4.3.2: its shards were planned differently (shard 1/2 (results/0.json): plan f1; shard 2/2 (results/1.json): plan f2): give every job the same test files and shard-durations.',
    ]);
  });

  it('a shard missing or there twice, a planned file run in no shard or in two: each named', () => {
    const missing = mergeShards(named([shard(1, 3, { 'tests/a.py': 1 }), shard(3, 3, { 'tests/c.py': 1 })]));
    expect(missing.problems).toEqual(['Blender 4.3.2: the result file of shard 2/3 is missing.']);
    const twice = mergeShards(named([shard(1, 2, { 'tests/a.py': 1 }), shard(1, 2, { 'tests/a.py': 1 }), shard(2, 2, { 'tests/b.py': 1 })]));
    expect(twice.problems).toContain('Blender 4.3.2: shard 1/2 has 2 result files (results/0.json, results/1.json).');
    const notRun = mergeShards(named([shard(1, 2, { 'tests/a.py': 1 }), shard(2, 2, { 'tests/b.py': 1 }, { ran: [] })]));
    expect(notRun.problems).toEqual(['Blender 4.3.2: tests/b.py, planned for shard 2/2, ran in no shard.']);
    const both = mergeShards(named([shard(1, 2, { 'tests/a.py': 1 }, { ran: ['tests/a.py', 'tests/b.py'] }), shard(2, 2, { 'tests/b.py': 1 })]));
    expect(both.problems).toEqual(['Blender 4.3.2: tests/b.py ran in 2 shards (1/2, 2/2).']);
  });

  it('a failing shard fails the merged column; the shards of two Blenders stay two columns', () => {
    const failing = shard(2, 2, { 'tests/b.py': 1 });
    failing.verdict = { ok: false, failure: '1 of 1 tests failed', cancelled: false };
    const merged = mergeShards(
      named([shard(1, 2, { 'tests/a.py': 1 }), failing, shard(1, 1, { 'tests/a.py': 1, 'tests/b.py': 1 }, { version: '5.2.2', fingerprint: 'f9' })]),
    );
    expect(merged.problems).toEqual([]);
    expect(merged.results.map((r) => [r.blender.version, r.verdict.ok, r.verdict.failure])).toEqual([
      ['4.3.2', false, '1 of 1 tests failed'],
      ['5.2.2', true, undefined],
    ]);
  });
});
