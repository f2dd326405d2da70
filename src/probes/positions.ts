/** 1-based line and column of a character offset, as editors and GitHub annotations count. */
export interface Position {
  line: number;
  column: number;
}

/**
 * Positions in one text: the line starts are found once, then each offset is a binary search,
 * so a file of 20,000 steps costs no more per step than one of 1,000 (scanning from the top
 * for every step made loading quadratic).
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  positionAt(offset: number): Position {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.starts[low]! + 1 };
  }
}

/** One position (for more in the same text, keep a LineIndex). */
export function positionAt(text: string, offset: number): Position {
  return new LineIndex(text.slice(0, Math.max(0, offset))).positionAt(Math.min(offset, text.length));
}
