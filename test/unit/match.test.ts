import { describe, expect, it } from 'vitest';
import { describeMismatch, matchSubset } from '../../src/probes/match.js';

describe('matchSubset', () => {
  it('accepts extra keys and nested subsets', () => {
    expect(matchSubset({ a: 1, b: { c: 'x' } }, { a: 1, b: { c: 'x', d: 2 }, e: [] })).toBeUndefined();
  });

  it('names the JSON path, expected and actual of the first difference', () => {
    const mismatch = matchSubset({ result: { items: [{ name: 'A' }, { name: 'B' }] } }, { result: { items: [{ name: 'A' }, { name: 'C' }] } });
    expect(mismatch).toEqual({ path: '$.result.items[1].name', expected: 'B', actual: 'C', reason: 'values differ' });
    expect(describeMismatch(mismatch!)).toBe('$.result.items[1].name: expected "B", got "C"');
  });

  it('reports a missing key as missing', () => {
    const mismatch = matchSubset({ status: 'ok', 'odd key': 1 }, { status: 'ok' });
    expect(describeMismatch(mismatch!)).toBe('$["odd key"]: missing (expected 1)');
  });

  it('treats arrays as positional and of the same length', () => {
    expect(matchSubset([1, 2], [1, 2])).toBeUndefined();
    expect(describeMismatch(matchSubset([1, 2], [1, 2, 3])!)).toBe('$: expected 2 items, got 3: [1,2,3]');
    expect(describeMismatch(matchSubset([2, 1], [1, 2])!)).toBe('$[0]: expected 2, got 1');
  });

  it('does not coerce types', () => {
    expect(matchSubset(1, '1')).toBeDefined();
    expect(matchSubset(null, {})).toBeDefined();
    expect(matchSubset(false, 0)).toBeDefined();
    expect(describeMismatch(matchSubset({ a: {} }, { a: [] })!)).toBe('$.a: expected an object, got an array: []');
    expect(describeMismatch(matchSubset({ a: [] }, { a: null })!)).toBe('$.a: expected an array, got null: null');
  });
});
