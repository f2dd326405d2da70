import { describe, expect, it } from 'vitest';
import { endOfJsonValue, takeFrame } from '../../src/probes/framing.js';

describe('json framing (bare JSON, no delimiter)', () => {
  it.each([
    ['{"a":1}', 7],
    ['{"a":"}"}rest', 9],
    ['{"a":"\\"}"}', 11],
    ['[1,[2,{"x":[]}]] ', 16],
    ['"str\\"ing"', 10],
    ['42 ', 2],
    ['true,', 4],
  ])('%j ends at %d', (text, end) => {
    expect(endOfJsonValue(text, 0)).toBe(end);
  });

  it.each(['{"a":1', '{"a":"}', '[1,2', '"open', '42', 'nul'])('%j is not complete yet', (text) => {
    expect(endOfJsonValue(text, 0)).toBe(-1);
  });

  it('skips leading whitespace, keeps what follows for later', () => {
    expect(takeFrame('\n {"a":1}{"b"', 'json')).toEqual({ kind: 'message', message: '{"a":1}', rest: '{"b"' });
  });

  it('says at once when a reply cannot be JSON', () => {
    expect(takeFrame('HTTP/1.1 400 Bad Request', 'json')).toEqual({ kind: 'invalid', reason: 'the reply does not start like JSON' });
  });
});

describe('ndjson framing', () => {
  it('takes one line, skipping blank ones', () => {
    expect(takeFrame('\n{"a":1}\n{"b":2}\n', 'ndjson')).toEqual({ kind: 'message', message: '{"a":1}', rest: '{"b":2}\n' });
    expect(takeFrame('{"a":1}', 'ndjson')).toEqual({ kind: 'incomplete' });
  });
});
