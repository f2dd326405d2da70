import { createScanner } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, nestingProblem } from '../../../src/probes/text-checks.js';

describe('probe file text checks', () => {
  it('the token numbers it uses are jsonc-parser’s (its SyntaxKind is a const enum we cannot import)', () => {
    const scanner = createScanner('{[]}', false);
    const tokens = Array.from({ length: 5 }, () => scanner.scan());
    expect(tokens).toEqual([1, 3, 4, 2, 17]);
  });

  it('finds the bracket past the nesting limit, without recursion, and ignores brackets in strings', () => {
    expect(nestingProblem('{"a": [[1]]}', 3)).toBeUndefined();
    expect(nestingProblem('{"a": "[[[[[[["}', 2)).toBeUndefined();
    expect(nestingProblem('{\n  "a": [[[1]]]\n}', 3)?.at).toEqual({ line: 2, column: 10 });
    expect(nestingProblem('['.repeat(1_000_000))?.at).toEqual({ line: 1, column: 65 });
  });

  it('decodes UTF-8, or names the line and column of the first bad byte', () => {
    expect(decodeUtf8(Buffer.from('{"name": "café ✓"}'))).toEqual({ text: '{"name": "café ✓"}' });
    const latin1 = Buffer.concat([Buffer.from('{\n"a": "ok",\n"b": "caf'), Buffer.from([0xe9, 0x22, 0x7d])]);
    expect(decodeUtf8(latin1)).toEqual({ problem: { at: { line: 3, column: 10 }, message: 'the file is not valid UTF-8 text; save it as UTF-8' } });
  });
});
