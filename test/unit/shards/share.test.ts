import { describe, expect, it } from 'vitest';
import { shareOf } from '../../../src/shards/share.js';

const files = ['/work/repo/tests/test_a.py', '/work/repo/tests/test_b.py', '/work/repo/tests/test_c.py'];

describe("shareOf: this job's files, keyed as reports name them", () => {
  it('by durations: the files, the record for the result file, one line', () => {
    const share = shareOf(
      { index: 2, total: 2 },
      files,
      false,
      {
        durations: new Map([
          ['tests/test_a.py', 3000],
          ['tests/test_b.py', 1000],
          ['tests/test_c.py', 1500],
        ]),
        source: 'measured on Blender 4.3.2',
      },
      '/work/repo',
    );
    expect(share.testFiles).toEqual(['/work/repo/tests/test_b.py', '/work/repo/tests/test_c.py']);
    expect(share.record).toEqual({
      index: 2,
      total: 2,
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
      files: ['tests/test_b.py', 'tests/test_c.py'],
      withoutDuration: 0,
      byCount: false,
    });
    expect(share.lines).toEqual([`Shard 2/2: 2 of 3 test files, 2.5s of 5.5s by the durations measured on Blender 4.3.2 (plan ${share.record.fingerprint}).`]);
  });

  it('without durations: by count, and says so', () => {
    const share = shareOf({ index: 1, total: 2 }, files, true, { durations: new Map(), source: undefined }, '/work/repo');
    expect(share.testFiles).toEqual(['/work/repo/tests/test_a.py', '/work/repo/tests/test_c.py']);
    expect(share.lines).toEqual([`Shard 1/2: 2 of 3 test files, split by count (no durations in shard-durations; plan ${share.record.fingerprint}).`]);
    expect(share).toMatchObject({ runsProbes: true, nothingToDo: undefined });
  });

  it('shard 1 runs the probes, the others say so; a shard the plan gave no file has nothing to do, and says why', () => {
    const none = { durations: new Map(), source: undefined };
    const third = shareOf({ index: 3, total: 3 }, files.slice(0, 2), true, none, '/work/repo');
    expect(third).toMatchObject({ testFiles: [], runsProbes: false, nothingToDo: 'Shard 3/3 has no test file: the plan put 2 files into fewer shards.' });
    expect(third.lines[1]).toBe('The probes run in shard 1/3 only: they check the service, not the suite.');
    expect(shareOf({ index: 2, total: 3 }, files.slice(0, 2), false, none, '/work/repo').lines).toHaveLength(1);
  });
});
