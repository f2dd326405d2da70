import { isUtf8 } from 'node:buffer';
import { type SyntaxKind, createScanner } from 'jsonc-parser';
import { type Position, positionAt } from './positions.js';

/**
 * How deep objects and arrays may nest in a probe file. Far past any real probe; the parser
 * and the checks after it recurse, and a file nested thousands deep would exhaust the stack.
 */
const MAX_NESTING = 64;

/** jsonc-parser's SyntaxKind values (a const enum, which isolated modules cannot import). */
const TOKEN: Readonly<Record<'openBrace' | 'closeBrace' | 'openBracket' | 'closeBracket' | 'end', SyntaxKind>> = {
  openBrace: 1,
  closeBrace: 2,
  openBracket: 3,
  closeBracket: 4,
  end: 17,
};

/** Where a probe file's text goes wrong before any parsing: its bytes or its depth. */
export interface TextProblem {
  at: Position;
  message: string;
}

/** The file's text, or where its bytes stop being UTF-8 (a newline byte never sits inside a UTF-8 character). */
export function decodeUtf8(bytes: Buffer): { text: string } | { problem: TextProblem } {
  if (isUtf8(bytes)) return { text: bytes.toString('utf8') };
  let lineStart = 0;
  let line = 1;
  for (;;) {
    const newline = bytes.indexOf(10, lineStart);
    const lineBytes = bytes.subarray(lineStart, newline < 0 ? bytes.length : newline);
    if (!isUtf8(lineBytes)) {
      const column = lineBytes.toString('utf8').indexOf('\uFFFD') + 1;
      return { problem: { at: { line, column: Math.max(column, 1) }, message: 'the file is not valid UTF-8 text; save it as UTF-8' } };
    }
    if (newline < 0) break;
    lineStart = newline + 1;
    line++;
  }
  return { text: bytes.toString('utf8') }; // not reached: some line was invalid
}

/** The first bracket that opens level MAX_NESTING + 1, found without recursion. */
export function nestingProblem(text: string, limit = MAX_NESTING): TextProblem | undefined {
  const scanner = createScanner(text, false);
  let depth = 0;
  for (let token = scanner.scan(); token !== TOKEN.end; token = scanner.scan()) {
    if (token === TOKEN.openBrace || token === TOKEN.openBracket) {
      depth++;
      if (depth > limit) {
        return {
          at: positionAt(text, scanner.getTokenOffset()),
          message: `objects and arrays nest more than ${limit} levels deep here; a probe file needs far fewer`,
        };
      }
    } else if (token === TOKEN.closeBrace || token === TOKEN.closeBracket) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}
