import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

const TAIL_LINES = 40;
/** A "line" this long without a newline is passed on in pieces: nothing waits on it unbounded. */
const MAX_LINE_CHARS = 64 * 1024;

/**
 * Blender's whole stdout+stderr: written to the log file as it comes, handed on line by
 * line for the live job log (each stream's lines whole), and its last lines kept for error
 * messages.
 */
export class BlenderLog {
  private readonly file: WriteStream;
  private readonly tailLines: string[] = [];
  /** each stream's unfinished last line: stdout and stderr arrive interleaved */
  private readonly partial = { stdout: '', stderr: '' };
  private closed = false;

  constructor(
    readonly path: string,
    private readonly onLine: (line: string) => void,
  ) {
    this.file = createWriteStream(path, { flags: 'a', mode: 0o600, highWaterMark: 1024 * 1024 }); // the log may hold what the add-on printed: ours alone
  }

  /**
   * Takes a chunk of Blender's output. Returns false while the file has a backlog: the caller
   * pauses Blender's output until onDrained, so the log keeps every byte without growing
   * memory (Blender waits on its pipe instead).
   */
  write(chunk: string, source: 'stdout' | 'stderr' = 'stdout'): boolean {
    // A leftover child holding Blender's stdout may still print after teardown closed us.
    if (this.closed) return true;
    const flowing = this.file.write(chunk);
    const lines = (this.partial[source] + chunk).split(/\r?\n/);
    let partial = lines.pop() ?? '';
    for (const line of lines) this.addLine(line);
    while (partial.length > MAX_LINE_CHARS) {
      this.addLine(partial.slice(0, MAX_LINE_CHARS));
      partial = partial.slice(MAX_LINE_CHARS);
    }
    this.partial[source] = partial;
    return flowing;
  }

  onDrained(resume: () => void): void {
    if (this.closed) resume();
    else this.file.once('drain', resume);
  }

  /** The last `count` lines, for "why did Blender stop" messages. */
  tail(count = 20): string {
    return this.tailLines.slice(-count).join('\n');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const source of ['stdout', 'stderr'] as const) {
      if (this.partial[source] !== '') this.addLine(this.partial[source]);
      this.partial[source] = '';
    }
    this.file.end();
    await once(this.file, 'close');
  }

  private addLine(line: string): void {
    this.tailLines.push(line);
    if (this.tailLines.length > TAIL_LINES) this.tailLines.shift();
    this.onLine(line);
  }
}
