import { formatDuration } from '../duration.js';
import type { StepResult } from '../probes/results.js';
import { truncate } from '../probes/match.js';
import type { TeardownReport } from '../session/session.js';

export function stepLine(result: StepResult): string {
  const mark = result.passed ? '✓' : '✗';
  return `${mark} ${result.fileName} › ${result.step} (${formatDuration(result.durationMs)})`;
}

/** The lines under a failed step: why, and the raw reply it got. */
export function failureLines(result: StepResult): string[] {
  if (result.passed) return [];
  const lines = [`${result.file}:${result.line}: ${result.failure}`];
  if (result.reply !== undefined) lines.push(`reply: ${truncate(result.reply, 400)}`);
  return lines;
}

export function teardownLine(teardown: TeardownReport): string {
  const how = teardown.exitedEarly
    ? 'Blender had already exited'
    : teardown.graceful
      ? `Blender stopped gracefully in ${formatDuration(teardown.durationMs)}`
      : teardown.killed
        ? 'Blender was killed after the shutdown timeout (not graceful)'
        : `Blender exited with code ${teardown.exit.exitCode} after SIGTERM (not graceful)`;
  const leftovers = teardown.leftovers.length === 0 ? 'no leftover processes' : `${teardown.leftovers.length} leftover process(es) killed`;
  return `${how}; ${leftovers}.`;
}
