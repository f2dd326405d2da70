import type { Progress } from '../progress.js';

/*
 * Progress of a long transfer (a Blender download, unpacked as it arrives), shown: on a terminal
 * one line rewritten in place, in a job log or any other output a line at most every 10 % or
 * 10 s (the shape actions/cache prints), nothing when quiet.
 */

export interface ProgressState {
  done: number;
  /** undefined when the server sent no Content-Length */
  total: number | undefined;
  elapsedMs: number;
}

const MB = 1024 * 1024;

function megabytes(bytes: number): string {
  return (bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0);
}

/** "Received 123 of 456 MB (27.0%), 40.1 MB/s, 7s left", or without a total "Received 123 MB, 40.1 MB/s". */
export function progressLine(label: string, state: ProgressState): string {
  const seconds = state.elapsedMs / 1000;
  const rate = seconds > 0 ? state.done / seconds : 0;
  const speed = `${(rate / MB).toFixed(1)} MB/s`;
  if (state.total === undefined || state.total <= 0) return `${label}: received ${megabytes(state.done)} MB, ${speed}`;
  const percent = Math.min(100, (100 * state.done) / state.total);
  const left = rate > 0 ? `, ${Math.ceil((state.total - state.done) / rate)}s left` : '';
  return `${label}: received ${megabytes(state.done)} of ${megabytes(state.total)} MB (${percent.toFixed(1)}%), ${speed}${state.done < state.total ? left : ''}`;
}

/**
 * Whether a log (not a terminal) gets a line now: every 10 % of a known size, or every 10 s
 * (the only rule without a size), and never twice for the same point.
 */
export function logLineDue(state: ProgressState, last: { done: number; atMs: number }): boolean {
  if (state.elapsedMs - last.atMs >= 10_000) return true;
  if (state.total === undefined || state.total <= 0) return false;
  const step = state.total / 10;
  return Math.floor(state.done / step) > Math.floor(last.done / step);
}

export interface ProgressOutput {
  /** a terminal: one line, rewritten in place */
  tty: boolean;
  write(text: string): void;
}

/** Progress for `label`, of `total` bytes if known, to `out`; `now` is injectable for tests. */
export function startProgress(label: string, total: number | undefined, out: ProgressOutput, now = () => performance.now()): Progress {
  const started = now();
  const last = { done: 0, atMs: 0 };
  let lastPaint = -Infinity;
  let shown = false;
  return {
    update(done) {
      const state = { done, total, elapsedMs: now() - started };
      if (out.tty) {
        if (state.elapsedMs - lastPaint < 100 && done !== total) return; // ten repaints a second at most
        lastPaint = state.elapsedMs;
        out.write(`\r\u001b[2K${progressLine(label, state)}`);
        shown = true;
        return;
      }
      if (!logLineDue(state, last)) return;
      last.done = done;
      last.atMs = state.elapsedMs;
      out.write(`${progressLine(label, state)}\n`);
    },
    end() {
      if (out.tty && shown) out.write('\r\u001b[2K');
    },
  };
}

/** No progress at all (--quiet, or a reporter with nowhere to show it). */
