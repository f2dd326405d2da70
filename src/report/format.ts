import { type AddonError, describeAddonError } from '../addon-health/errors.js';
import type { AddonHealth } from '../addon-health/health.js';
import { type AddonLeftover, describeAddonLeftover } from '../addon-health/leftovers.js';
import { memoryLine } from '../addon-health/memory.js';
import { formatDuration } from '../duration.js';
import type { StepResult } from '../probes/results.js';
import { truncate } from '../text.js';
import { type Deprecation, describeDeprecation } from '../session/deprecations.js';
import type { RunOutcome } from './outcome.js';
import { type UiReport, uiCountsLine, uiLines } from '../ui-check/ui-report.js';

export function stepLine(result: StepResult): string {
  const mark = result.skipped !== undefined ? '○' : result.passed ? '✓' : '✗';
  if (result.skipped !== undefined) return `${mark} ${result.fileName} › ${result.step} (skipped: ${result.skipped})`;
  return `${mark} ${result.fileName} › ${result.step} (${stepTiming(result)})`;
}

/** "12ms", or "1.2s, 7 attempts" for a step that polled. */
export function stepTiming(result: StepResult): string {
  const time = formatDuration(result.durationMs);
  return result.attempts > 1 ? `${time}, ${result.attempts} attempts` : time;
}

/** The longest raw reply a report shows; the log has the rest. */
const REPLY_LIMIT = 400;

/** The lines under a failed step: why, the expectation against the reply, the reply itself. */
export function failureLines(result: StepResult): string[] {
  if (result.passed) return [];
  const lines = [`${result.file}:${result.line}: ${result.failure}`];
  if (result.attempts > 1) lines.push(`after ${result.attempts} attempts (this is the last one's failure)`);
  if (result.mismatch) {
    lines.push(`  expected ${result.mismatch.path}: ${truncate(JSON.stringify(result.mismatch.expected) ?? 'nothing', REPLY_LIMIT)}`);
    lines.push(`  actual   ${result.mismatch.path}: ${truncate(JSON.stringify(result.mismatch.actual) ?? 'nothing (missing)', REPLY_LIMIT)}`);
  }
  if (result.reply !== undefined) lines.push(`reply: ${truncate(result.reply, REPLY_LIMIT)}`);
  if (result.details) lines.push(...result.details.trimEnd().split('\n'));
  return lines;
}

/** "3 passed, 1 failed", and ", 2 not run" when Blender ended (or the run was cancelled) before them. */
export function countsLine(outcome: RunOutcome): string {
  const { passed, failed, skipped } = counts(outcome.results);
  const extra = [skipped > 0 ? `${skipped} skipped` : '', outcome.notRun.length > 0 ? `${outcome.notRun.length} not run` : ''].filter(Boolean);
  return [`${passed} passed`, `${failed} failed`, ...extra].join(', ');
}

/** Passed, failed and skipped steps and tests (a skipped test is neither passed nor failed). */
export function counts(results: StepResult[]): { passed: number; failed: number; skipped: number } {
  const skipped = results.filter((r) => r.skipped !== undefined).length;
  const passed = results.filter((r) => r.passed).length - skipped;
  return { passed, failed: results.length - passed - skipped, skipped };
}

/** Results by probe file, in the order they ran. */
export function groupByFile(results: StepResult[]): Map<string, StepResult[]> {
  const files = new Map<string, StepResult[]>();
  for (const result of results) files.set(result.file, [...(files.get(result.file) ?? []), result]);
  return files;
}

/** One line per deprecation, with its count: "src/ops.py:12: DeprecationWarning: old_api is deprecated (3 times)". */
export function deprecationLines(deprecations: Deprecation[]): string[] {
  return deprecations.map((d) => `${describeDeprecation(d)}${d.count > 1 ? ` (${d.count} times)` : ''}`);
}

/** The add-on's background errors, each with its traceback indented under it (a terminal, a job log, JUnit's system-out). */
export function addonErrorLines(errors: AddonError[], withTracebacks = true): string[] {
  return errors.flatMap((e) => [
    describeAddonError(e),
    ...(withTracebacks
      ? e.traceback
          .trimEnd()
          .split('\n')
          .map((l) => `    ${l}`)
      : []),
  ]);
}

/** What unregister() left, one line each, with where it was found ("reload 1/3: …"). */
export function leftoverLines(leftovers: AddonLeftover[]): string[] {
  return leftovers.map((l) => `${l.phase}: ${describeAddonLeftover(l)}`);
}

/** A part of the add-on's health report: a heading (styled by whether it fails the run) and its lines. */
export interface HealthSection {
  heading: string;
  /** fail: it fails the run; warn: listed only; info: figures */
  mode: 'fail' | 'warn' | 'off' | 'info';
  lines: string[];
}

/** The add-on's health for a log or a terminal: its errors (with tracebacks), what unregister() left, Blender's memory. */
export function healthSections(health: AddonHealth | undefined): HealthSection[] {
  if (!health) return [];
  const memory = health.memory && memoryLine(health.memory);
  return [
    ...(health.errors.length > 0
      ? [
          {
            heading: `The add-on's code raised (${health.errors.length}, addon-errors: ${health.errorsMode}):`,
            mode: health.errorsMode,
            lines: addonErrorLines(health.errors),
          },
        ]
      : []),
    ...(health.leftovers.length > 0
      ? [
          {
            heading: `Left in Blender after unregister() (${health.leftovers.length}, unregister-check: ${health.leftoversMode}):`,
            mode: health.leftoversMode,
            lines: leftoverLines(health.leftovers),
          },
        ]
      : []),
    ...(health.unowned && health.unowned.length > 0
      ? [
          {
            heading: `Made while the add-on was enabled, not counted as its own: whose it is cannot be told (${health.unowned.length}):`,
            mode: 'info' as const,
            lines: leftoverLines(health.unowned),
          },
        ]
      : []),
    ...(memory ? [{ heading: memory, mode: 'info' as const, lines: [] }] : []),
  ];
}

/** The UI check for a log or a terminal: the counts, then each error with its traceback, what was not drawn and why. */
export function uiSection(ui: UiReport | undefined): HealthSection | undefined {
  if (!ui) return undefined;
  const failing =
    ui.errors.length > 0
      ? ui.failOnErrors
        ? 'fail'
        : 'warn'
      : ui.problem && ui.problem.kind !== 'not-run'
        ? ui.problem.kind === 'window'
          ? ui.failOnNoWindow
            ? 'fail'
            : 'warn'
          : ui.failOnErrors
            ? 'fail'
            : 'warn'
        : 'info';
  return {
    heading: `${uiCountsLine(ui)}${ui.errors.length + (ui.problem ? 1 : 0) + ui.targets.filter((t) => !t.drawn).length > 0 ? ':' : ''}`,
    mode: failing,
    lines: uiLines(ui),
  };
}
