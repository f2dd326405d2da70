import { describe, expect, it } from 'vitest';
import { LineIndex, positionAt } from '../../../src/probes/positions.js';

/** The definition: count the newlines before the offset. */
function naive(text: string, offset: number) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

describe('positions: line starts once, then a binary search per offset', () => {
  it('agrees with counting newlines at every offset, empty lines, CRLF and the end included', () => {
    const text = '{\n  "a": 1,\r\n\n  "steps": [\n\n]\n}';
    const index = new LineIndex(text);
    for (let offset = 0; offset <= text.length; offset++) {
      expect(index.positionAt(offset), `offset ${offset}`).toEqual(naive(text, offset));
      expect(positionAt(text, offset)).toEqual(naive(text, offset));
    }
    expect(new LineIndex('').positionAt(0)).toEqual({ line: 1, column: 1 });
  });
});
