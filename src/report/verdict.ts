import { type AddonHealth, healthProblems } from '../addon-health/health.js';
import { formatPercent } from '../coverage/model.js';
import type { NotRunStep, StepResult } from '../probes/results.js';
import { type Deprecation, describeDeprecation } from '../session/deprecations.js';
import { describeLeftover } from '../session/leftovers.js';
import type { TeardownReport } from '../session/session.js';
import { teardownProblem } from './teardown-sentences.js';

export interface VerdictInput {
  /** why the session never became ready, if it did not */
  sessionFailure: string | undefined;
  cancelled: boolean;
  results: StepResult[];
  /** steps never reached: Blender ended, or the run was cancelled */
  notRun: NotRunStep[];
  teardown: TeardownReport;
  /** the other test workers' teardowns (each a whole Blender), by worker number */
  workerTeardowns?: { worker: number; teardown: TeardownReport }[];
  /** test workers that did not start or could not run tests */
  workerProblems?: string[];
  shutdownTimeoutMs: number;
  deprecations: Deprecation[];
  /** the deprecations input: fail makes any deprecation a problem */
  failOnDeprecations: boolean;
  /** the coverage measured, and the coverage-min input, and a report that could not be written */
  coverage?: { percent: number | undefined; min: number | undefined; problem: string | undefined };
  /** the add-on's own health: its background errors, what unregister() left, reload-check, memory */
  health?: AddonHealth;
  /** how the companion and the stdio MCP servers ended (companion/problems.ts) */
  beside?: string[];
  /** what the UI check found that fails the run (ui-check/ui-report.ts) */
  ui?: string[];
}

/**
 * Every reason the run failed, most telling first. The run passes only if the session
 * became ready, every step passed, and teardown was graceful and left nothing behind.
 */
export function judge(input: VerdictInput): string[] {
  const { teardown } = input;
  const problems: string[] = [];
  const ending = teardownProblem(teardown, { shutdownTimeoutMs: input.shutdownTimeoutMs, results: input.results, notRun: input.notRun.length });
  if (input.sessionFailure) problems.push(input.sessionFailure);
  else if (teardown.kind === 'early' && ending) problems.push(ending);
  if (input.cancelled) problems.push('The run was cancelled; Blender was stopped and checked for leftover processes.');

  // The step Blender ended during is told by the sentence above: it says nothing of the add-on's replies.
  for (const [what, results] of [
    ['tests', input.results.filter((r) => r.kind === 'test')],
    ['probe steps', input.results.filter((r) => r.kind !== 'test')],
  ] as const) {
    const failed = results.filter((r) => !r.passed && !r.blenderExited);
    if (failed.length === 0) continue;
    const first = failed[0]!;
    problems.push(`${failed.length} of ${results.length} ${what} failed; first: ${first.file} › ${first.step}: ${first.failure}.`);
  }

  if (teardown.kind !== 'early' && ending) problems.push(ending);

  if (teardown.leftovers.length > 0) {
    const count = teardown.leftovers.length;
    problems.push(
      `${count} process${count > 1 ? 'es' : ''} outlived Blender and ${count > 1 ? 'were' : 'was'} killed: ${teardown.leftovers.map(describeLeftover).join('; ')}.`,
    );
  }
  if (teardown.unkillable.length > 0) {
    problems.push(`These leftover processes could not be removed: ${teardown.unkillable.map(describeLeftover).join('; ')}.`);
  }
  problems.push(...(input.beside ?? []));
  problems.push(...(input.workerProblems ?? []));
  for (const { worker, teardown: ended } of input.workerTeardowns ?? []) {
    // A worker that crashed during a test is told by that test's result; how it ended is a problem too.
    const how = teardownProblem(ended, { shutdownTimeoutMs: input.shutdownTimeoutMs, results: input.results, notRun: 0 });
    if (how) problems.push(`Test worker ${worker}: ${how}`);
    if (ended.leftovers.length > 0)
      problems.push(
        `Test worker ${worker}: ${ended.leftovers.length} process(es) outlived Blender and were killed: ${ended.leftovers.map(describeLeftover).join('; ')}.`,
      );
  }
  if (input.health) problems.push(...healthProblems(input.health, !input.sessionFailure));
  problems.push(...(input.ui ?? []));
  if (input.failOnDeprecations && input.deprecations.length > 0) {
    const count = input.deprecations.length;
    problems.push(`${count} deprecation${count > 1 ? 's' : ''} with deprecations: fail; first: ${describeDeprecation(input.deprecations[0]!)}.`);
  }
  const coverage = input.coverage;
  if (coverage?.problem) problems.push(coverage.problem);
  if (coverage?.min !== undefined && coverage.percent !== undefined && coverage.percent < coverage.min) {
    problems.push(`Line coverage of the add-on's files is ${formatPercent(coverage.percent)}, below coverage-min (${coverage.min}%).`);
  }
  return problems;
}

/** The one sentence for setFailed: the first problem, and how many more there are. */
export function headline(problems: string[]): string | undefined {
  if (problems.length === 0) return undefined;
  const more = problems.length - 1;
  return more === 0 ? problems[0] : `${problems[0]!.replace(/\.$/, '')} (and ${more} more problem${more > 1 ? 's' : ''}).`;
}
