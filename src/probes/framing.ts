import type { Framing } from './schema.js';

/** Characters a JSON text may begin with (after whitespace). */
const JSON_START = /[{["\-0-9tfn]/;

export type FrameResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; message: string; rest: string }
  | { kind: 'invalid'; reason: string };

/**
 * Finds the first complete reply in `buffer`.
 * json: bare JSON with no delimiter, complete when one whole value has arrived, the way
 * addon servers frame it (they retry json.loads on what they have).
 * ndjson: one line.
 */
export function takeFrame(buffer: string, framing: Framing): FrameResult {
  if (framing === 'ndjson') {
    const newline = buffer.indexOf('\n');
    if (newline < 0) return { kind: 'incomplete' };
    const line = buffer.slice(0, newline).trim();
    if (line === '') return takeFrame(buffer.slice(newline + 1), framing); // blank keep-alive lines
    return { kind: 'message', message: line, rest: buffer.slice(newline + 1) };
  }
  const start = buffer.search(/\S/);
  if (start < 0) return { kind: 'incomplete' };
  if (!JSON_START.test(buffer.charAt(start))) return { kind: 'invalid', reason: 'the reply does not start like JSON' };
  const end = endOfJsonValue(buffer, start);
  if (end < 0) return { kind: 'incomplete' };
  return { kind: 'message', message: buffer.slice(start, end), rest: buffer.slice(end) };
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
