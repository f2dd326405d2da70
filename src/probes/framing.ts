import type { Framing } from './schema.js';

/** Characters a JSON text may begin with (after whitespace). */
const JSON_START = /[{["\-0-9tfn]/;
const HEADER_END = Buffer.from('\r\n\r\n');

export type FrameResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; message: string; consumed: number }
  | { kind: 'invalid'; reason: string };

/**
 * Finds the first complete reply in the bytes received so far, for the framings that mark
 * their own end (raw has no end marker: the transport decides it by time).
 * json: bare JSON with no delimiter, complete when one whole value has arrived, the way
 * addon servers frame it (they retry json.loads on what they have).
 * ndjson: one line. content-length: LSP-style headers, then exactly that many bytes.
 */
export function takeFrame(buffer: Buffer, framing: Exclude<Framing, 'raw'>): FrameResult {
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
  if (buffer.length < bodyEnd) return { kind: 'incomplete' };
  return { kind: 'message', message: buffer.subarray(bodyStart, bodyEnd).toString('utf8'), consumed: bodyEnd };
}

/** The bytes to write for one request. */
export function encodeRequest(payload: string, framing: Framing): string {
  if (framing === 'ndjson') return `${payload}\n`;
  if (framing === 'content-length') return `Content-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`;
  return payload;
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
