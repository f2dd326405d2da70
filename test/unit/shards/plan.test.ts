import { describe, expect, it } from 'vitest';
import { parseShard, planShards } from '../../../src/shards/plan.js';

const files = (n: number) => Array.from({ length: n }, (_, i) => `tests/test_${String(i).padStart(2, '0')}.py`);
const filesOf = (plan: ReturnType<typeof planShards>) => plan.shards.map((s) => s.files);

describe('parseShard', () => {
  it('index/total, 1-based; anything else is not a shard', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, total: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, total: 1 });
    for (const bad of ['0/4', '5/4', '2', '2/0', 'a/b', '-1/2']) {
      expect(parseShard(bad)).toBeUndefined();
    }
  });
});

describe('planShards: longest first into the lightest shard', () => {
  it('by durations: the longest files spread first, each shard near the mean', () => {
    const durations = new Map([
      ['a.py', 50],
      ['b.py', 40],
      ['c.py', 30],
      ['d.py', 20],
      ['e.py', 10],
    ]);
    const plan = planShards(['e.py', 'd.py', 'c.py', 'b.py', 'a.py'], durations, 2);
    expect(plan.shards).toEqual([
      { files: ['a.py', 'd.py', 'e.py'], weightMs: 80 },
      { files: ['b.py', 'c.py'], weightMs: 70 },
    ]);
    expect(plan).toMatchObject({ withoutDuration: 0, byCount: false });
  });

  it('ties are broken by name and by the shard with fewer files, then the lower index: the same plan from any order of the files', () => {
    const same = new Map(files(6).map((f) => [f, 100]));
    const plan = planShards(files(6), same, 4);
    expect(filesOf(plan)).toEqual([
      ['tests/test_00.py', 'tests/test_04.py'],
      ['tests/test_01.py', 'tests/test_05.py'],
      ['tests/test_02.py'],
      ['tests/test_03.py'],
    ]);
    expect(planShards([...files(6)].reverse(), same, 4)).toEqual(plan);
  });

  it('files without a duration weigh the median of those with one; none with one: by count', () => {
    const plan = planShards(
      ['a.py', 'b.py', 'c.py', 'new.py'],
      new Map([
        ['a.py', 10],
        ['b.py', 30],
        ['c.py', 90],
      ]),
      2,
    );
    // new.py weighs 30 (the median): c (90) | b (30) + new (30) + a (10)
    expect(plan.shards).toEqual([
      { files: ['c.py'], weightMs: 90 },
      { files: ['a.py', 'b.py', 'new.py'], weightMs: 70 },
    ]);
    expect(plan.withoutDuration).toBe(1);
    const byCount = planShards(files(5), new Map(), 2);
    expect(byCount).toMatchObject({ byCount: true, withoutDuration: 5 });
    expect(filesOf(byCount).map((f) => f.length)).toEqual([3, 2]);
  });

  it('more shards than files: one file each, the rest empty; never an empty shard beside one with two files, even at zero duration', () => {
    expect(filesOf(planShards(['a.py', 'b.py'], new Map(), 4))).toEqual([['a.py'], ['b.py'], [], []]);
    const zero = planShards(
      ['a.py', 'b.py', 'c.py'],
      new Map([
        ['a.py', 0],
        ['b.py', 0],
        ['c.py', 0],
      ]),
      3,
    );
    expect(filesOf(zero)).toEqual([['a.py'], ['b.py'], ['c.py']]);
  });

  it('a huge file has a shard to itself; the rest share the others', () => {
    const durations = new Map(files(9).map((f, i) => [f, i === 4 ? 10_000 : 100]));
    const plan = planShards(files(9), durations, 3);
    expect(plan.shards[0]).toEqual({ files: ['tests/test_04.py'], weightMs: 10_000 });
    expect(plan.shards.slice(1).map((s) => s.files.length)).toEqual([4, 4]);
  });

  it('the fingerprint: the same for the same files and durations, whatever their order; another for other files, durations or totals', () => {
    const durations = new Map([
      ['a.py', 10],
      ['b.py', 20],
    ]);
    const base = planShards(['a.py', 'b.py'], durations, 2).fingerprint;
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(
      planShards(
        ['b.py', 'a.py'],
        new Map([
          ['b.py', 20],
          ['a.py', 10],
        ]),
        2,
      ).fingerprint,
    ).toBe(base);
    expect(planShards(['a.py', 'b.py', 'c.py'], durations, 2).fingerprint).not.toBe(base);
    expect(
      planShards(
        ['a.py', 'b.py'],
        new Map([
          ['a.py', 10],
          ['b.py', 25],
        ]),
        2,
      ).fingerprint,
    ).not.toBe(base);
    expect(planShards(['a.py', 'b.py'], durations, 3).fingerprint).not.toBe(base);
  });
});
