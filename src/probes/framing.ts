import { formatBytes } from '../bytes.js';
import type { Framing } from './vocabulary.js';

/** Characters a JSON text may begin with (after whitespace). */
const JSON_START = /[{["\-0-9tfn]/;
const HEADER_END = Buffer.from('\r\n\r\n');

/** The default of max-reply-size: the longest reply read; past it the connection is dropped. */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** `target.framing: "length-prefixed"`: each message is its length (unsigned), then its UTF-8 bytes. */
export interface LengthPrefixed {
  framing: 'length-prefixed';
  bytes: 2 | 4 | 8;
  byteOrder: 'big' | 'little';
  /** longest message announced before the reply is refused (MAX_MESSAGE_BYTES) */
  maxBytes: number;
}

export const DEFAULT_LENGTH_PREFIX: LengthPrefixed = { framing: 'length-prefixed', bytes: 4, byteOrder: 'big', maxBytes: MAX_MESSAGE_BYTES };

/** How messages are cut on the wire: a framing by name, or a length prefix with its shape. */
export type WireFormat = Exclude<Framing, 'length-prefixed'> | LengthPrefixed;

export type FrameResult =
  /** `needed`: the total bytes the frame takes, once known: no need to look again before then */
  { kind: 'incomplete'; needed?: number } | { kind: 'message'; message: string; consumed: number } | { kind: 'invalid'; reason: string };

/**
 * Finds the first complete reply in the bytes received so far, for the framings that mark
 * their own end (raw has no end marker: the transport decides it by time).
 * json: bare JSON with no delimiter, complete when one whole value has arrived, the way
 * addon servers frame it (they retry json.loads on what they have).
 * ndjson: one line. content-length: LSP-style headers, then exactly that many bytes.
 * length-prefixed: the length, then exactly that many bytes.
 */
export function takeFrame(buffer: Buffer, wire: Exclude<WireFormat, 'raw'>): FrameResult {
  if (typeof wire === 'object') return takeLengthPrefixed(buffer, wire);
  const framing = wire;
  if (framing === 'ndjson') {
    const newline = buffer.indexOf(10);
    if (newline < 0) return { kind: 'incomplete' };
    const line = buffer.subarray(0, newline).toString('utf8').trim();
    if (line === '') {
      const next = takeFrame(buffer.subarray(newline + 1), framing); // blank keep-alive lines
      return next.kind === 'message' ? { ...next, consumed: next.consumed + newline + 1 } : next;
    }
    return { kind: 'message', message: line, consumed: newline + 1 };
  }
  if (framing === 'content-length') return takeContentLength(buffer);

  // Decoding may end in half a multi-byte character; the JSON value ends on an ASCII
  // bracket or quote before it, so what it consumed is counted back in bytes exactly.
  const text = buffer.toString('utf8');
  const start = text.search(/\S/);
  if (start < 0) return { kind: 'incomplete' };
  if (!JSON_START.test(text.charAt(start))) return { kind: 'invalid', reason: 'the reply does not start like JSON' };
  const end = endOfJsonValue(text, start);
  if (end < 0) return { kind: 'incomplete' };
  return { kind: 'message', message: text.slice(start, end), consumed: Buffer.byteLength(text.slice(0, end)) };
}

function takeContentLength(buffer: Buffer): FrameResult {
  const headerEnd = buffer.indexOf(HEADER_END);
  if (headerEnd < 0) return { kind: 'incomplete' };
  const headers = buffer.subarray(0, headerEnd).toString('latin1');
  const length = /^content-length:\s*(\d+)\s*$/im.exec(headers);
  if (!length) return { kind: 'invalid', reason: 'the reply has no Content-Length header' };
  const bodyStart = headerEnd + HEADER_END.length;
  const bodyEnd = bodyStart + Number(length[1]);
  if (buffer.length < bodyEnd) return { kind: 'incomplete', needed: bodyEnd };
  return { kind: 'message', message: buffer.subarray(bodyStart, bodyEnd).toString('utf8'), consumed: bodyEnd };
}

function takeLengthPrefixed(buffer: Buffer, prefix: LengthPrefixed): FrameResult {
  if (buffer.length < prefix.bytes) return { kind: 'incomplete', needed: prefix.bytes };
  const length = readLength(buffer, prefix);
  if (length > prefix.maxBytes) {
    return {
      kind: 'invalid',
      reason: `the reply's ${prefix.bytes}-byte length prefix announces ${formatBytes(length)}, more than the ${formatBytes(prefix.maxBytes)} a reply may be`,
    };
  }
  const end = prefix.bytes + length;
  if (buffer.length < end) return { kind: 'incomplete', needed: end };
  return { kind: 'message', message: buffer.subarray(prefix.bytes, end).toString('utf8'), consumed: end };
}

/** Unsigned, of the prefix's width and order; an 8-byte length past 2^53 reads as Infinity (over any limit). */
function readLength(buffer: Buffer, prefix: LengthPrefixed): number {
  const big = prefix.byteOrder === 'big';
  if (prefix.bytes !== 8) return big ? buffer.readUIntBE(0, prefix.bytes) : buffer.readUIntLE(0, prefix.bytes);
  const length = big ? buffer.readBigUInt64BE(0) : buffer.readBigUInt64LE(0);
  return length > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(length);
}

/** The bytes to write for one request; throws (one sentence) when a length prefix cannot say its size. */
export function encodeRequest(payload: string, wire: WireFormat): Buffer {
  if (wire === 'ndjson') return Buffer.from(`${payload}\n`);
  if (wire === 'content-length') return Buffer.from(`Content-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`);
  if (typeof wire !== 'object') return Buffer.from(payload);
  const body = Buffer.from(payload);
  const largest = wire.bytes === 8 ? Number.MAX_SAFE_INTEGER : 2 ** (8 * wire.bytes) - 1;
  if (body.length > largest)
    throw new Error(`the request is ${formatBytes(body.length)}, more than a ${wire.bytes}-byte length prefix can announce (${formatBytes(largest)})`);
  return Buffer.concat([lengthBytes(body.length, wire), body]);
}

function lengthBytes(length: number, prefix: LengthPrefixed): Buffer {
  const bytes = Buffer.alloc(prefix.bytes);
  if (prefix.bytes === 8) bytes.writeBigUInt64BE(BigInt(length));
  else bytes.writeUIntBE(length, 0, prefix.bytes);
  return prefix.byteOrder === 'big' ? bytes : bytes.reverse();
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x7b, 0x5b]); // { [
const CLOSERS = new Set([0x7d, 0x5d]); // } ]
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Follows bare JSON as it arrives and says when one whole value may have ended, so the
 * reader looks for the frame only then: every byte is read once, however many chunks a big
 * reply comes in. Bytes, not characters: a UTF-8 multi-byte character holds no ASCII byte.
 */
export class JsonValueWatcher {
  private started = false;
  /** a number or literal: it ends at a delimiter, which takeFrame finds; look every time */
  private bare = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private ended = false;

  /** Reads `chunk`; true once the value may be complete. */
  feed(chunk: Buffer): boolean {
    if (this.ended || this.bare) return true;
    for (const byte of chunk) {
      if (!this.started) {
        if (WHITESPACE.has(byte)) continue;
        this.started = true;
        if (byte === QUOTE) this.inString = true;
        else if (OPENERS.has(byte)) this.depth = 1;
        else return (this.bare = true);
      } else if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) {
          this.inString = false;
          if (this.depth === 0) return (this.ended = true);
        }
      } else if (byte === QUOTE) this.inString = true;
      else if (OPENERS.has(byte)) this.depth++;
      else if (CLOSERS.has(byte) && --this.depth === 0) return (this.ended = true);
    }
    return false;
  }
}

/**
 * Index just past the JSON value starting at `start`, or -1 if it has not all arrived.
 * Objects, arrays and strings end at their closing character; a bare number or literal
 * ends at the first character that cannot continue it (or when the connection closes).
 */
export function endOfJsonValue(text: string, start: number): number {
  const first = text.charAt(start);
  if (first !== '{' && first !== '[' && first !== '"') {
    const match = /^[^\s,\]}]+/.exec(text.slice(start));
    const end = start + (match?.[0].length ?? 0);
    return end < text.length ? end : -1;
  }
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const char = text.charAt(i);
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') {
        inString = false;
        if (depth === 0) return i + 1;
      }
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') depth++;
    else if (char === '}' || char === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
