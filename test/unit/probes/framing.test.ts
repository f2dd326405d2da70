import { describe, expect, it } from 'vitest';
import { DEFAULT_LENGTH_PREFIX, type LengthPrefixed, encodeRequest, endOfJsonValue, takeFrame } from '../../../src/probes/framing.js';

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
    const framed = bytes(encodeRequest(message, 'content-length').toString() + 'Content-Length: 2');
    expect(encodeRequest(message, 'content-length').toString()).toBe(`Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
    expect(takeFrame(framed, 'content-length')).toEqual({ kind: 'message', message, consumed: framed.length - 'Content-Length: 2'.length });
  });

  it('waits for the rest of the body, accepts other headers, refuses a missing length', () => {
    // Once the headers are in, it knows how many bytes to wait for.
    expect(takeFrame(bytes('Content-Length: 10\r\n\r\n{"a":'), 'content-length')).toEqual({ kind: 'incomplete', needed: 32 });
    expect(takeFrame(bytes('Content-Type: x\r\ncontent-length: 2\r\n\r\n{}'), 'content-length')).toMatchObject({ kind: 'message', message: '{}' });
    expect(takeFrame(bytes('X: 1\r\n\r\n{}'), 'content-length')).toEqual({ kind: 'invalid', reason: 'the reply has no Content-Length header' });
  });
});

describe('length-prefixed framing', () => {
  const message = '{"text":"é✓"}';
  const length = Buffer.byteLength(message);
  const shape = (bytes: 2 | 4 | 8, byteOrder: 'big' | 'little', maxBytes = DEFAULT_LENGTH_PREFIX.maxBytes): LengthPrefixed => ({
    framing: 'length-prefixed',
    bytes,
    byteOrder,
    maxBytes,
  });

  it.each([
    [shape(4, 'big'), [0, 0, 0, length]],
    [shape(2, 'little'), [length, 0]],
    [shape(8, 'big'), [0, 0, 0, 0, 0, 0, 0, length]],
    [shape(8, 'little'), [length, 0, 0, 0, 0, 0, 0, 0]],
  ])('%o: the unsigned length, then the UTF-8 bytes, both ways', (wire, prefix) => {
    const framed = encodeRequest(message, wire);
    expect([...framed.subarray(0, wire.bytes)]).toEqual(prefix);
    expect(framed.subarray(wire.bytes).toString()).toBe(message);
    const withNext = Buffer.concat([framed, Buffer.from([1, 2])]);
    expect(takeFrame(withNext, wire)).toEqual({ kind: 'message', message, consumed: framed.length });
  });

  it('knows how many bytes to wait for: the prefix first, then prefix + length', () => {
    const framed = encodeRequest(message, DEFAULT_LENGTH_PREFIX);
    expect(takeFrame(framed.subarray(0, 3), DEFAULT_LENGTH_PREFIX)).toEqual({ kind: 'incomplete', needed: 4 });
    expect(takeFrame(framed.subarray(0, 6), DEFAULT_LENGTH_PREFIX)).toEqual({ kind: 'incomplete', needed: 4 + length });
    expect(takeFrame(Buffer.from([0, 0, 0, 0]), DEFAULT_LENGTH_PREFIX)).toEqual({ kind: 'message', message: '', consumed: 4 });
  });

  it('refuses a length over the limit at once, before any of it arrives', () => {
    expect(takeFrame(Buffer.from([0xff, 0xff, 0xff, 0xff]), DEFAULT_LENGTH_PREFIX)).toEqual({
      kind: 'invalid',
      reason: "the reply's 4-byte length prefix announces 4 GiB, more than the 64 MiB a reply may be",
    });
    expect(takeFrame(Buffer.from([0, 0, 4, 1]), shape(4, 'big', 1024))).toEqual({
      kind: 'invalid',
      reason: "the reply's 4-byte length prefix announces 1025 bytes, more than the 1024 bytes a reply may be",
    });
    expect(takeFrame(Buffer.alloc(8, 0xff), shape(8, 'little'))).toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('announces more than 8 PiB'),
    });
  });

  it('a request longer than the prefix can say is refused in one sentence', () => {
    expect(() => encodeRequest(JSON.stringify('x'.repeat(70_000)), shape(2, 'big'))).toThrow(
      'the request is 70002 bytes, more than a 2-byte length prefix can announce (65535 bytes)',
    );
  });
});
