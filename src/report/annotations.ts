import * as core from '@actions/core';
import type { AddonHealth } from '../addon-health/health.js';
import { describeAddonLeftover } from '../addon-health/leftovers.js';
import type { StepResult } from '../probes/results.js';
import { type Deprecation, describeDeprecation } from '../session/deprecations.js';
import { type UiReport, describeUiError } from '../ui-check/ui-report.js';

/**
 * GitHub shows at most 10 error annotations per step, and setFailed's message is one of
 * them: 9 are left for probe steps. Beyond that, the last one says how many more failed.
 */
const ANNOTATION_BUDGET = 9;

export interface Annotation {
  message: string;
  title: string;
  file?: string;
  startLine?: number;
}

/**
 * Items as annotations within a budget: all of them when they fit, else budget - 1 and a last
 * one that `rest` makes of the others (what GitHub would not show is named, not dropped).
 */
function fitToBudget<T>(items: T[], budget: number, one: (item: T) => Annotation, rest: (items: T[]) => Annotation): Annotation[] {
  if (budget <= 0 || items.length === 0) return [];
  if (items.length <= budget) return items.map(one);
  return [...items.slice(0, budget - 1).map(one), rest(items.slice(budget - 1))];
}

export function planAnnotations(results: StepResult[], budget = ANNOTATION_BUDGET): Annotation[] {
  return fitToBudget(
    results.filter((r) => !r.passed),
    budget,
    (r) => ({
      title: `${r.kind === 'test' ? 'Test' : 'Probe step'} failed: ${r.step}${r.attempts > 1 ? ` (after ${r.attempts} attempts)` : ''}`,
      message: r.failure ?? 'failed',
      file: r.file,
      startLine: r.line,
    }),
    (rest) => ({
      title: `${rest.length} more ${rest.every((r) => r.kind === 'test') ? 'tests' : rest.some((r) => r.kind === 'test') ? 'probe steps and tests' : 'probe steps'} failed`,
      message: `Also failed: ${rest.map((r) => `${r.file}:${r.line} ${r.step}`).join('; ')}. The job summary lists every step.`,
    }),
  );
}

/** GitHub shows at most 10 warning annotations per step (a budget apart from the errors'). */
const WARNING_BUDGET = 10;

/**
 * A warning annotation on each deprecation's line; one without a place (a Blender notice that
 * names no file) has none. Past the budget, the last one lists the rest.
 */
export function planDeprecationWarnings(deprecations: Deprecation[], budget = WARNING_BUDGET): Annotation[] {
  return fitToBudget(
    deprecations,
    budget,
    (d) => ({
      title: `${d.category}${d.count > 1 ? ` (${d.count} times)` : ''}`,
      message: d.message,
      ...at(d.file, d.line),
    }),
    (rest) => ({ title: `${rest.length} more deprecations`, message: `Also: ${rest.map(describeDeprecation).join('; ')}. The job summary lists them all.` }),
  );
}

/** One of the add-on's health findings, annotated on its line. */
interface HealthItem {
  title: string;
  message: string;
  file: string | undefined;
  line: number | undefined;
}

/**
 * The add-on's health findings on its lines: error annotations where they fail the run (within
 * what the failed steps left of the error budget), warnings where they only warn (within what
 * the deprecations left of the warning budget).
 */
export function planHealthAnnotations(health: AddonHealth, budgets: { errors: number; warnings: number }): { errors: Annotation[]; warnings: Annotation[] } {
  const errors: HealthItem[] = health.errors.map((e) => ({
    title: `The add-on's code raised: ${e.where}${e.count > 1 ? ` (${e.count} times)` : ''}`,
    message: `${e.message}\n\n${e.traceback}`.trimEnd(),
    file: e.file,
    line: e.line,
  }));
  const leftovers: HealthItem[] = health.leftovers.map((l) => ({
    title: `Left after unregister() (${l.phase}): ${l.name}`,
    message: describeAddonLeftover(l),
    file: l.file,
    line: l.line,
  }));
  const failing = [...(health.errorsMode === 'fail' ? errors : []), ...(health.leftoversMode === 'fail' ? leftovers : [])];
  const warning = [...(health.errorsMode === 'warn' ? errors : []), ...(health.leftoversMode === 'warn' ? leftovers : [])];
  const one = (item: HealthItem): Annotation => ({ title: item.title, message: item.message, ...at(item.file, item.line) });
  const rest = (items: HealthItem[]): Annotation => ({
    title: `${items.length} more findings about the add-on's health`,
    message: `Also: ${items.map((i) => i.title).join('; ')}. The job summary lists them all.`,
  });
  return { errors: fitToBudget(failing, budgets.errors, one, rest), warnings: fitToBudget(warning, budgets.warnings, one, rest) };
}

/**
 * The UI check's draw errors on the add-on's lines: errors where they fail the run (auto, fail),
 * warnings in warn mode, each within what is left of its budget.
 */
export function planUiAnnotations(ui: UiReport, budgets: { errors: number; warnings: number }): { errors: Annotation[]; warnings: Annotation[] } {
  const one = (e: UiReport['errors'][number]): Annotation => ({
    title: `The add-on's UI failed to draw${ui.blenderVersion ? ` on Blender ${ui.blenderVersion}` : ''}: ${e.label}`,
    message: `${e.message}${e.traceback ? `\n\n${e.traceback}` : ''}`.trimEnd(),
    ...at(e.file, e.line),
  });
  const rest = (items: UiReport['errors']): Annotation => ({
    title: `${items.length} more draw errors`,
    message: `Also: ${items.map((e) => describeUiError(e, ui.reloadCycles)).join('; ')}. The job summary lists them all.`,
  });
  return ui.failOnErrors
    ? { errors: fitToBudget(ui.errors, budgets.errors, one, rest), warnings: [] }
    : { errors: [], warnings: fitToBudget(ui.errors, budgets.warnings, one, rest) };
}

/** Every annotation a finished run makes: failed steps, the add-on's health, its UI; deprecations, then health and UI warnings. */
export function annotateOutcome(results: StepResult[], deprecations: Deprecation[], health: AddonHealth | undefined, ui?: UiReport): void {
  const steps = planAnnotations(results);
  const deprecationWarnings = planDeprecationWarnings(deprecations);
  const fromHealth = health
    ? planHealthAnnotations(health, { errors: ANNOTATION_BUDGET - steps.length, warnings: WARNING_BUDGET - deprecationWarnings.length })
    : { errors: [], warnings: [] };
  const left = {
    errors: ANNOTATION_BUDGET - steps.length - fromHealth.errors.length,
    warnings: WARNING_BUDGET - deprecationWarnings.length - fromHealth.warnings.length,
  };
  const fromUi = ui ? planUiAnnotations(ui, left) : { errors: [], warnings: [] };
  for (const { message, ...properties } of [...steps, ...fromHealth.errors, ...fromUi.errors]) core.error(message, properties);
  for (const { message, ...properties } of [...deprecationWarnings, ...fromHealth.warnings, ...fromUi.warnings]) core.warning(message, properties);
}

/** An annotation's place, when there is one: a file, and its line when known. */
function at(file: string | undefined, line: number | undefined): Pick<Annotation, 'file' | 'startLine'> {
  return file ? { file, ...(line ? { startLine: line } : {}) } : {};
}
