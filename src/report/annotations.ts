import * as core from '@actions/core';
import type { StepResult } from '../probes/results.js';

/**
 * GitHub shows at most 10 error annotations per step, and setFailed's message is one of
 * them: 9 are left for probe steps. Beyond that, the last one says how many more failed.
 */
export const ANNOTATION_BUDGET = 9;

export interface Annotation {
  message: string;
  title: string;
  file?: string;
  startLine?: number;
}

export function planAnnotations(results: StepResult[], budget = ANNOTATION_BUDGET): Annotation[] {
  const failed = results.filter((r) => !r.passed);
  const fits = failed.length <= budget;
  const shown = fits ? failed : failed.slice(0, budget - 1);
  const annotations: Annotation[] = shown.map((r) => ({
    title: `${r.kind === 'test' ? 'Test' : 'Probe step'} failed: ${r.step}${r.attempts > 1 ? ` (after ${r.attempts} attempts)` : ''}`,
    message: r.failure ?? 'failed',
    file: r.file,
    startLine: r.line,
  }));
  if (!fits) {
    const rest = failed.slice(budget - 1);
    annotations.push({
      title: `${rest.length} more ${rest.every((r) => r.kind === 'test') ? 'tests' : rest.some((r) => r.kind === 'test') ? 'probe steps and tests' : 'probe steps'} failed`,
      message: `Also failed: ${rest.map((r) => `${r.file}:${r.line} ${r.step}`).join('; ')}. The job summary lists every step.`,
    });
  }
  return annotations;
}

export function annotate(results: StepResult[]): void {
  for (const { message, ...properties } of planAnnotations(results)) core.error(message, properties);
}
