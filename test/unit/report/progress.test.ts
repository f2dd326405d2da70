import { describe, expect, it } from 'vitest';
import { logLineDue, progressLine, startProgress } from '../../../src/report/progress.js';

const MB = 1024 * 1024;

/** A progress shown to `tty` or a log, with a clock the test moves. */
function recorder(tty: boolean) {
  const written: string[] = [];
  let now = 0;
  return { written, at: (ms: number) => (now = ms), clock: () => now, out: { tty, write: (text: string) => written.push(text) } };
}

describe('download progress', () => {
  it('says how much of how much, how fast, how long is left; or, without a Content-Length, how much and how fast', () => {
    expect(progressLine('Downloading Blender 4.2.3', { done: 123 * MB, total: 456 * MB, elapsedMs: 3000 })).toBe(
      'Downloading Blender 4.2.3: received 123 of 456 MB (27.0%), 41.0 MB/s, 9s left',
    );
    expect(progressLine('Downloading', { done: 456 * MB, total: 456 * MB, elapsedMs: 10_000 })).toBe('Downloading: received 456 of 456 MB (100.0%), 45.6 MB/s');
    expect(progressLine('Downloading', { done: 5.5 * MB, total: undefined, elapsedMs: 2000 })).toBe('Downloading: received 5.5 MB, 2.8 MB/s');
  });

  it('in a log: a line every 10 % of a known size, or every 10 s', () => {
    expect(logLineDue({ done: 9, total: 100, elapsedMs: 1000 }, { done: 0, atMs: 0 })).toBe(false);
    expect(logLineDue({ done: 10, total: 100, elapsedMs: 1000 }, { done: 0, atMs: 0 })).toBe(true);
    expect(logLineDue({ done: 15, total: 100, elapsedMs: 1000 }, { done: 10, atMs: 1000 })).toBe(false);
    expect(logLineDue({ done: 15, total: undefined, elapsedMs: 9999 }, { done: 0, atMs: 0 })).toBe(false);
    expect(logLineDue({ done: 15, total: undefined, elapsedMs: 10_000 }, { done: 0, atMs: 0 })).toBe(true);

    const log = recorder(false);
    const progress = startProgress('Downloading', 100 * MB, log.out, log.clock);
    for (let done = 0; done <= 100; done += 1) {
      log.at(done * 50);
      progress.update(done * MB);
    }
    progress.end();
    expect(log.written).toHaveLength(10);
    expect(log.written[0]).toBe('Downloading: received 10 of 100 MB (10.0%), 20.0 MB/s, 5s left\n');
    expect(log.written.at(-1)).toMatch(/\(100\.0%\)/);
  });

  it('on a terminal: one line rewritten in place (ten times a second at most), cleared at the end', () => {
    const tty = recorder(true);
    const progress = startProgress('Downloading', undefined, tty.out, tty.clock);
    for (let ms = 0; ms <= 1000; ms += 10) {
      tty.at(ms);
      progress.update(ms * 1000);
    }
    progress.end();
    expect(tty.written.every((text) => text.startsWith('\r\u001b[2K'))).toBe(true);
    expect(tty.written.length).toBeGreaterThanOrEqual(10);
    expect(tty.written.length).toBeLessThanOrEqual(12);
    expect(tty.written.at(-1)).toBe('\r\u001b[2K');
  });
});
