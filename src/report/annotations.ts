import * as core from '@actions/core';
import type { StepResult } from '../probes/results.js';
import { type Deprecation, describeDeprecation } from '../session/deprecations.js';

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

/** GitHub shows at most 10 warning annotations per step (a budget apart from the errors'). */
export const WARNING_BUDGET = 10;

/**
 * A warning annotation on each deprecation's line; one without a place (a Blender notice that
 * names no file) has none. Past the budget, the last one lists the rest.
 */
export function planDeprecationWarnings(deprecations: Deprecation[], budget = WARNING_BUDGET): Annotation[] {
  const fits = deprecations.length <= budget;
  const shown = fits ? deprecations : deprecations.slice(0, budget - 1);
  const annotations: Annotation[] = shown.map((d) => ({
    title: `${d.category}${d.count > 1 ? ` (${d.count} times)` : ''}`,
    message: d.message,
    ...(d.file ? { file: d.file, ...(d.line ? { startLine: d.line } : {}) } : {}),
  }));
  if (!fits) {
    const rest = deprecations.slice(budget - 1);
    annotations.push({ title: `${rest.length} more deprecations`, message: `Also: ${rest.map(describeDeprecation).join('; ')}. The job summary lists them all.` });
  }
  return annotations;
}

export function annotateDeprecations(deprecations: Deprecation[]): void {
  for (const { message, ...properties } of planDeprecationWarnings(deprecations)) core.warning(message, properties);
}
