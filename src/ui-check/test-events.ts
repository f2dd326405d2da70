import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Event, Next, TestEventSource } from '../addon-tests/run.js';

/** How often the file is read for new events. */
const POLL_MS = 25;

/**
 * The test events the UI check's Blender writes to a file (it has no control channel: its main
 * thread belongs to its window), read as the session's arrive on its socket: each whole line as
 * it is written; the end of them once that Blender has exited and nothing is left to read.
 */
export class FileEventSource implements TestEventSource {
  private offset = 0;
  private partial = '';
  private readonly lines: string[] = [];

  constructor(
    private readonly file: string,
    /** whether the Blender writing it has exited */
    private readonly ended: () => boolean,
  ) {}

  async next(timeoutMs?: number, signal?: AbortSignal): Promise<Next> {
    const deadline = timeoutMs === undefined ? undefined : performance.now() + timeoutMs;
    for (;;) {
      const gone = this.ended(); // before reading: what it wrote before exiting is read first
      await this.read();
      const line = this.lines.shift();
      if (line !== undefined) {
        try {
          return { kind: 'event', event: JSON.parse(line) as Event };
        } catch {
          continue;
        }
      }
      if (gone) return { kind: 'closed' };
      if (signal?.aborted) return { kind: 'cancelled' };
      if (deadline !== undefined && performance.now() > deadline) return { kind: 'timeout' };
      await sleep(POLL_MS);
    }
  }

  close(): void {}

  private async read(): Promise<void> {
    const handle = await open(this.file, 'r').catch(() => undefined);
    if (!handle) return;
    try {
      const buffer = Buffer.alloc(64 * 1024);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        this.partial += buffer.toString('utf8', 0, bytesRead);
      }
    } finally {
      await handle.close();
    }
    const parts = this.partial.split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts.filter((line) => line.trim() !== ''));
  }
}
