import { describe, expect, it } from 'vitest';
import { shareOf } from '../../../src/shards/share.js';

const files = ['/work/repo/tests/test_a.py', '/work/repo/tests/test_b.py', '/work/repo/tests/test_c.py'];

describe("shareOf: this job's files, keyed as reports name them", () => {
  it('by durations: the files, the record for the result file, one line', () => {
    const share = shareOf({ index: 2, total: 2 }, files, { durations: new Map([['tests/test_a.py', 3000], ['tests/test_b.py', 1000], ['tests/test_c.py', 1500]]), source: 'measured on Blender 4.3.2' }, '/work/repo');
    expect(share.testFiles).toEqual(['/work/repo/tests/test_b.py', '/work/repo/tests/test_c.py']);
    expect(share.record).toEqual({ index: 2, total: 2, fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/), files: ['tests/test_b.py', 'tests/test_c.py'], withoutDuration: 0, byCount: false });
    expect(share.sentence).toBe(`Shard 2/2: 2 of 3 test files, 2.5s of 5.5s by the durations measured on Blender 4.3.2 (plan ${share.record.fingerprint}).`);
  });

  it('without durations: by count, and says so', () => {
    const share = shareOf({ index: 1, total: 2 }, files, { durations: new Map(), source: undefined }, '/work/repo');
    expect(share.testFiles).toEqual(['/work/repo/tests/test_a.py', '/work/repo/tests/test_c.py']);
    expect(share.sentence).toBe(`Shard 1/2: 2 of 3 test files, split by count (no durations in shard-durations; plan ${share.record.fingerprint}).`);
  });
});
