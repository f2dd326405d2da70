import { describe, expect, it } from 'vitest';
import { nothingToTest } from '../../../src/addon-tests/run.js';

describe('nothingToTest: a run of test files that found no test fails (pytest’s exit code 5)', () => {
  it('no test and no collection error: one sentence naming the files (five at most)', () => {
    expect(nothingToTest(['tests/test_a.py'], 0, 0)).toBe(
      'the tests input matched a file (tests/test_a.py) holding no test that the runner can collect, so nothing was tested',
    );
    const many = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((n) => `t/test_${n}.py`);
    expect(nothingToTest(many, 0, 0)).toBe(
      'the tests input matched 7 files (t/test_a.py, t/test_b.py, t/test_c.py, t/test_d.py, t/test_e.py and 2 more) holding no test that the runner can collect, so nothing was tested',
    );
  });

  it('a test found, or a file that failed to collect (a failure already), is enough', () => {
    expect(nothingToTest(['t/test_a.py'], 1, 0)).toBeUndefined();
    expect(nothingToTest(['t/test_a.py'], 0, 1)).toBeUndefined();
    expect(nothingToTest([], 0, 0)).toBeUndefined();
  });
});
