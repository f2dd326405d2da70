import { describe, expect, it } from 'vitest';
import { encodeRequest, endOfJsonValue, takeFrame } from '../../src/probes/framing.js';

const bytes = (text: string) => Buffer.from(text);

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

  it('skips leading whitespace and counts what it consumed in bytes', () => {
    expect(takeFrame(bytes('\n {"a":"é"}{"b"'), 'json')).toEqual({ kind: 'message', message: '{"a":"é"}', consumed: 12 });
  });

  it('is not fooled by half a multi-byte character at the end of the buffer', () => {
    const whole = bytes('{"a":1}✓');
    expect(takeFrame(whole.subarray(0, whole.length - 1), 'json')).toEqual({ kind: 'message', message: '{"a":1}', consumed: 7 });
  });

  it('says at once when a reply cannot be JSON', () => {
    expect(takeFrame(bytes('HTTP/1.1 400 Bad Request'), 'json')).toEqual({ kind: 'invalid', reason: 'the reply does not start like JSON' });
  });
});

describe('ndjson framing', () => {
  it('takes one line, skipping blank ones', () => {
    expect(takeFrame(bytes('\n{"a":1}\n{"b":2}\n'), 'ndjson')).toEqual({ kind: 'message', message: '{"a":1}', consumed: 9 });
    expect(takeFrame(bytes('{"a":1}'), 'ndjson')).toEqual({ kind: 'incomplete' });
  });
});

describe('content-length framing (LSP style)', () => {
  it('reads exactly Content-Length bytes after the headers', () => {
    const message = '{"text":"é✓"}';
    const framed = bytes(encodeRequest(message, 'content-length') + 'Content-Length: 2');
    expect(encodeRequest(message, 'content-length')).toBe(`Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
    expect(takeFrame(framed, 'content-length')).toEqual({ kind: 'message', message, consumed: framed.length - 'Content-Length: 2'.length });
  });

  it('waits for the rest of the body, accepts other headers, refuses a missing length', () => {
    expect(takeFrame(bytes('Content-Length: 10\r\n\r\n{"a":'), 'content-length')).toEqual({ kind: 'incomplete' });
    expect(takeFrame(bytes('Content-Type: x\r\ncontent-length: 2\r\n\r\n{}'), 'content-length')).toMatchObject({ kind: 'message', message: '{}' });
    expect(takeFrame(bytes('X: 1\r\n\r\n{}'), 'content-length')).toEqual({ kind: 'invalid', reason: 'the reply has no Content-Length header' });
  });
});
