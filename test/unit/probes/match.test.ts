import { describe, expect, it } from 'vitest';
import { describeMismatch, match } from '../../../src/probes/match.js';
import { checkPattern } from '../../../src/probes/operand-checks.js';

const why = (expected: unknown, actual: unknown, strict = false) => {
  const mismatch = match(expected, actual, { strict });
  return mismatch && describeMismatch(mismatch);
};

describe('subset matching', () => {
  it('accepts extra keys and nested subsets', () => {
    expect(match({ a: 1, b: { c: 'x' } }, { a: 1, b: { c: 'x', d: 2 }, e: [] })).toBeUndefined();
  });

  it('names the JSON path, expected and actual of the first difference', () => {
    const mismatch = match({ result: { items: [{ name: 'A' }, { name: 'B' }] } }, { result: { items: [{ name: 'A' }, { name: 'C' }] } });
    expect(mismatch).toEqual({ path: '$.result.items[1].name', expected: 'B', actual: 'C', reason: 'expected "B", got "C"' });
  });

  it('reports a missing key as missing, with odd keys quoted', () => {
    expect(why({ status: 'ok', 'odd key': 1 }, { status: 'ok' })).toBe('$["odd key"]: missing (expected 1)');
  });

  it('treats arrays as positional and of the same length', () => {
    expect(match([1, 2], [1, 2])).toBeUndefined();
    expect(why([1, 2], [1, 2, 3])).toBe('$: expected 2 items, got 3: [1,2,3]');
    expect(why([2, 1], [1, 2])).toBe('$[0]: expected 2, got 1');
  });

  it('does not coerce types', () => {
    expect(why(1, '1')).toBe('$: expected 1, got "1"');
    expect(why(null, {})).toBe('$: expected null, got {}');
    expect(why(false, 0)).toBe('$: expected false, got 0');
    expect(why({ a: {} }, { a: [] })).toBe('$.a: expected an object, got an array: []');
  });

  it('strict: exact deep equality, operators still apply', () => {
    expect(match({ a: 1, b: { c: 2 } }, { a: 1, b: { c: 2 } }, { strict: true })).toBeUndefined();
    expect(why({ a: 1, b: { c: 2 } }, { a: 1, b: { c: 2, d: 3 } }, true)).toBe('$.b.d: unexpected key (strict): 3');
    expect(match({ n: { $gt: 1 } }, { n: 2 }, { strict: true })).toBeUndefined();
  });
});

describe('operators, each matching and mismatching, nested', () => {
  const cases: [string, unknown, unknown, string | undefined][] = [
    // [name, pattern, actual (at $.v), expected failure or undefined]
    ['$eq deep', { $eq: { $odd: [1] } }, { $odd: [1] }, undefined],
    ['$eq', { $eq: [1, 2] }, [1, 3], '$.v: expected exactly [1,2], got [1,3]'],
    ['$ne', { $ne: 'x' }, 'y', undefined],
    ['$ne fails', { $ne: 'x' }, 'x', '$.v: expected anything but "x"'],
    ['$gt', { $gt: 1 }, 2, undefined],
    ['$gt fails', { $gt: 2 }, 2, '$.v: expected a number > 2, got 2'],
    ['$gte', { $gte: 2 }, 2, undefined],
    ['$gte not a number', { $gte: 2 }, '3', '$.v: expected a number >= 2, got "3"'],
    ['$lt', { $lt: 2 }, 1.5, undefined],
    ['$lt fails', { $lt: 2 }, 3, '$.v: expected a number < 2, got 3'],
    ['$lte', { $lte: 2 }, 2, undefined],
    ['$lte fails', { $lte: 2 }, 2.1, '$.v: expected a number <= 2, got 2.1'],
    ['$gte and $lte together', { $gte: 1, $lte: 3 }, 4, '$.v: expected a number <= 3, got 4'],
    ['$in', { $in: ['a', { b: 1 }] }, { b: 1 }, undefined],
    ['$in fails', { $in: ['a', 'b'] }, 'c', '$.v: expected one of ["a","b"], got "c"'],
    ['$nin', { $nin: ['failed'] }, 'done', undefined],
    ['$nin fails', { $nin: ['failed'] }, 'failed', '$.v: expected none of ["failed"], got "failed"'],
    ['$regex', { $regex: '^job-\\d+$' }, 'job-12', undefined],
    ['$regex with flags', { $regex: { pattern: '^JOB', flags: 'i' } }, 'job-1', undefined],
    ['$regex fails', { $regex: '^\\d+$' }, 'abc', '$.v: expected a string matching /^\\d+$/, got "abc"'],
    ['$contains string', { $contains: 'ell' }, 'hello', undefined],
    ['$contains array subset', { $contains: { name: 'Cube' } }, [{ name: 'Light' }, { name: 'Cube', type: 'MESH' }], undefined],
    ['$contains fails', { $contains: 'xyz' }, 'hello', '$.v: expected a string containing "xyz", got "hello"'],
    ['$startsWith', { $startsWith: 'Blen' }, 'Blender', undefined],
    ['$startsWith fails', { $startsWith: 'x' }, 'Blender', '$.v: expected a string starting with "x", got "Blender"'],
    ['$endsWith', { $endsWith: '.blend' }, 'a.blend', undefined],
    ['$endsWith fails', { $endsWith: '.blend' }, 7, '$.v: expected a string ending with ".blend", got 7'],
    ['$exists true', { $exists: true }, null, undefined],
    ['$any', { $any: true }, [1], undefined],
    ['$type', { $type: 'integer' }, 3, undefined],
    ['$type list', { $type: ['string', 'null'] }, null, undefined],
    ['$type fails', { $type: 'integer' }, 3.5, '$.v: expected type integer, got number 3.5'],
    ['$size', { $size: 2 }, 'ab', undefined],
    ['$size with operator', { $size: { $gte: 1 } }, { k: 1 }, undefined],
    ['$size fails', { $size: 3 }, [1], '$.v.length: size 1 does not match: expected 3, got 1'],
    ['$all', { $all: [1, { n: 2 }] }, [{ n: 2, m: 0 }, 1, 5], undefined],
    ['$all fails', { $all: [1, 9] }, [1, 2], '$.v: expected an array with an item matching 9, got [1,2]'],
    [
      '$elemMatch',
      { $elemMatch: { status: 'done', n: { $gt: 1 } } },
      [
        { status: 'done', n: 1 },
        { status: 'done', n: 2 },
      ],
      undefined,
    ],
    ['$elemMatch fails', { $elemMatch: { n: { $gt: 5 } } }, [{ n: 1 }], '$.v: expected an array with an item matching {"n":{"$gt":5}}, got [{"n":1}]'],
    ['$closeTo', { $closeTo: { value: 1, tolerance: 0.01 } }, 1.005, undefined],
    ['$closeTo fails', { $closeTo: { value: 1, tolerance: 0.01 } }, 1.02, '$.v: expected 1 ± 0.01, got 1.02'],
    ['$not', { $not: { $in: ['failed'] } }, 'ok', undefined],
    ['$not fails', { $not: { $regex: '^f' } }, 'failed', '$.v: expected not to match {"$regex":"^f"}, got "failed"'],
    ['$and', { $and: [{ $type: 'number' }, { $gt: 0 }] }, 1, undefined],
    ['$and fails on the first false', { $and: [{ $type: 'number' }, { $gt: 0 }] }, -1, '$.v: expected a number > 0, got -1'],
    ['$or', { $or: [{ $eq: 'a' }, { $type: 'number' }] }, 4, undefined],
    [
      '$or fails',
      { $or: [{ $eq: 'a' }, { $eq: 'b' }] },
      'c',
      '$.v: matched none of 2 alternatives: expected exactly "a", got "c"; expected exactly "b", got "c"',
    ],
    ['$schema', { $schema: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } }, { id: 'x' }, undefined],
    [
      '$schema fails',
      { $schema: { type: 'object', properties: { id: { type: 'string' } } } },
      { id: 1 },
      '$.v: does not match the schema at /id: must be string, got {"id":1}',
    ],
  ];
  it.each(cases)('%s', (_name, pattern, actual, failure) => {
    expect(why({ result: { v: pattern } }, { result: { v: actual } })?.replace('$.result', '$')).toBe(failure);
  });

  it('$exists speaks to absence; other operators call a missing key missing', () => {
    expect(match({ a: { $exists: false } }, {})).toBeUndefined();
    expect(why({ a: { $exists: false } }, { a: 1 })).toBe('$.a: expected no such key, got 1');
    expect(why({ a: { $exists: true } }, {})).toBe('$.a: expected the key to exist, but it is missing');
    expect(why({ a: { $gt: 1 } }, {})).toBe('$.a: missing (expected {"$gt":1})');
    expect(why({ a: { $any: true } }, {})).toBe('$.a: missing (expected {"$any":true})');
    expect(match({ a: { $not: { $exists: true } } }, {})).toBeUndefined();
  });
});

describe('checkPattern: operator mistakes found before anything runs', () => {
  it.each([
    [{ a: { $gtr: 1 } }, ['a', '$gtr'], "unknown operator '$gtr' (did you mean '$gt'?)"],
    [{ a: { $Regex: 'x' } }, ['a', '$Regex'], "unknown operator '$Regex' (did you mean '$regex'?)"],
    [{ a: { $gt: '1' } }, ['a', '$gt'], '$gt takes a number'],
    [{ a: { $regex: '(' } }, ['a', '$regex'], expect.stringMatching(/^\$regex has an invalid regular expression: /)],
    [{ a: { $type: 'int' } }, ['a', '$type'], '$type takes one of string, number, integer, boolean, null, array, object (or an array of them), got "int"'],
    [{ a: { $closeTo: { value: 1 } } }, ['a', '$closeTo'], '$closeTo takes {"value": number, "tolerance": number}'],
    [{ a: { $or: [] } }, ['a', '$or'], '$or takes a non-empty array of patterns'],
    [{ a: { $not: { $zzzzzz: 1 } } }, ['a', '$not', '$zzzzzz'], "unknown operator '$zzzzzz'"],
    [[{ $in: 'x' }], [0, '$in'], '$in takes an array of values'],
    [{ a: { $gt: 1, b: 2 } }, ['a', '$gt'], '\'$gt\' cannot stand beside plain keys; wrap a literal key in {"$eq": ...}'],
    [{ a: { $schema: { type: 'nope' } } }, ['a', '$schema'], expect.stringMatching(/^\$schema is not a valid JSON Schema: /)],
    [{ a: { $size: 'x' } }, ['a', '$size'], '$size takes a number or an operator such as {"$gte": 1}'],
  ])('%j', (pattern, path, message) => {
    expect(checkPattern(pattern)).toEqual([{ path, message }]);
  });

  it('accepts every operator used well', () => {
    expect(checkPattern({ a: { $gte: 1, $lte: 2 }, b: [{ $regex: '^x' }, { $elemMatch: { c: { $exists: true } } }], d: { $eq: { $literal: 1 } } })).toEqual([]);
  });

  it('a failed operator shows the expectation as the probe file writes it, and says it in words', () => {
    expect(match({ result: { object_count: { $gte: 4 } } }, { result: { object_count: 3 } })).toMatchObject({
      path: '$.result.object_count',
      expected: { $gte: 4 },
      reason: 'expected a number >= 4, got 3',
    });
    expect(match({ n: { $gte: 1, $lte: 10 } }, { n: 11 })).toMatchObject({ expected: { $gte: 1, $lte: 10 } });
    expect(match({ name: { $startsWith: 'Cu' } }, { name: 'Sphere' })).toMatchObject({ expected: { $startsWith: 'Cu' } });
  });
});
