/** How much may wait in the terminal's or job log's buffer before Blender's lines are dropped. */
const OUTPUT_BACKLOG_BYTES = 4 * 1024 * 1024;

/**
 * Blender's output on its way to a terminal or job log. When the reader is slower than
 * Blender, Node buffers what it cannot write yet, without limit (200 MB of output once grew
 * the CLI to 1.5 GB). So while `stream` has more than `limit` bytes waiting, Blender's lines
 * are dropped, and a marker says how many where they were. The log file keeps every line.
 */
export class OutputValve {
  private dropped = 0;

  constructor(
    private readonly stream: { writableLength?: number },
    private readonly limit = OUTPUT_BACKLOG_BYTES,
  ) {}

  /** Passes `line` to `write`, or drops it while the reader is behind. */
  offer(line: string, write: (line: string) => void): void {
    if ((this.stream.writableLength ?? 0) > this.limit) {
      this.dropped++;
      return;
    }
    this.flush(write);
    write(line);
  }

  /** The marker for lines dropped since the last one written, if any (before our own lines). */
  flush(write: (line: string) => void): void {
    if (this.dropped === 0) return;
    const count = this.dropped;
    this.dropped = 0;
    write(
      `… ${count} line${count > 1 ? 's' : ''} of Blender output not shown here: this output's reader was slower than Blender. The log file has every line.`,
    );
  }
}
