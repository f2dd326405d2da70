import type { UserPaths } from '../addon/source-map.js';
import { formatDuration } from '../duration.js';
import { UserError, errorMessage } from '../errors.js';
import type { StepResult } from '../probes/results.js';
import type { ProbeContext } from '../probes/probe-context.js';
import { runProbes } from '../probes/run.js';
import type { ProbeSuite } from '../probes/suite.js';
import type { BlenderControl } from '../probes/transports/blender.js';
import type { ReloadReply, Usage } from '../session/driver-protocol.js';
import type { Session } from '../session/session.js';
import { type AddonLeftover, addonLeftoversOf, describeAddonLeftover } from './leftovers.js';
import { capitalized } from '../text.js';
import { addonErrorsOf, describeAddonError, readAddonErrors } from './errors.js';

/** One reload-check cycle: disable, what it left, enable again, ready again, the probes again. */
export interface ReloadCycle {
  cycle: number;
  of: number;
  leftovers: AddonLeftover[];
  /** why the add-on did not come back: it did not enable again, or did not become ready */
  problem: string | undefined;
  /** disable → enabled → ready again */
  reloadMs: number;
  /** this cycle's probe steps (also in the run's results, named "… (reload 1/3)") */
  probes: { passed: number; failed: number };
  usage: Usage | undefined;
}

export interface ReloadPlan {
  cycles: number;
  control: BlenderControl;
  session: Session;
  suite: ProbeSuite;
  probeContext: ProbeContext;
  /** the driver's record of the add-on's errors: a register() error names why it did not enable again */
  addonErrorsFile: string;
  /** how long one reload may take: the driver waits up to unregister-grace for threads and ports */
  timeoutMs: number;
  paths: UserPaths;
  onStep: (result: StepResult) => void;
  onCycle: (line: string) => void;
  signal: AbortSignal | undefined;
}

/**
 * reload-check: what every user does when they update an add-on, n times. A cycle whose add-on
 * does not come back ends the check (the later cycles would only repeat it), as does a Blender
 * that ended or a cancelled run.
 */
export async function runReloadCycles(plan: ReloadPlan): Promise<{ cycles: ReloadCycle[]; results: StepResult[] }> {
  const cycles: ReloadCycle[] = [];
  const results: StepResult[] = [];
  for (let cycle = 1; cycle <= plan.cycles && !plan.signal?.aborted; cycle++) {
    const label = `reload ${cycle}/${plan.cycles}`;
    const reload = await reloadAddon(plan, label);
    if (!reload.answered) {
      cycles.push({ cycle, of: plan.cycles, leftovers: [], problem: reload.problem, reloadMs: reload.ms, probes: { passed: 0, failed: 0 }, usage: undefined });
      plan.onCycle(`${capitalized(label)}: ${reload.problem}.`);
      break;
    }
    const { leftovers, problem } = reload;
    const reloadMs = reload.ms;
    let probes: StepResult[] = [];
    if (!problem) {
      probes = (await runProbes(plan.suite, plan.probeContext, (r) => plan.onStep(inCycle(r, label)), plan.signal)).map((r) => inCycle(r, label));
      results.push(...probes);
    }
    const counted = { passed: probes.filter((r) => r.passed).length, failed: probes.filter((r) => !r.passed).length };
    cycles.push({ cycle, of: plan.cycles, leftovers, problem, reloadMs, probes: counted, usage: reload.usage });
    plan.onCycle(cycleLine(cycles.at(-1)!));
    if (problem || probes.some((r) => r.blenderExited)) break;
  }
  return { cycles, results };
}

/** One reload as reload-check and --watch do it, in the same words for both. */
export interface AddonReload {
  /** false: the driver did not answer (the reload may not have happened) */
  answered: boolean;
  leftovers: AddonLeftover[];
  /** "the add-on did not enable again: …", "… did not become ready again: …", "the reload did not answer: …" */
  problem: string | undefined;
  /** disable → enabled → ready again */
  ms: number;
  usage: Usage | undefined;
  /** what the add-on draws now, as the driver counted it (null: not counted) */
  uiTargets?: number | null;
}

/**
 * The driver's reload (disable, what unregister() left, enable, startup) and the session ready
 * again. An add-on that does not enable again is named at its register() error, as the run's
 * first enable is.
 */
export async function reloadAddon(
  plan: Pick<ReloadPlan, 'control' | 'session' | 'timeoutMs' | 'paths' | 'signal' | 'addonErrorsFile'>,
  label: string,
): Promise<AddonReload> {
  const started = performance.now();
  const ms = () => performance.now() - started;
  let reply: ReloadReply;
  try {
    reply = await plan.control.value<ReloadReply>('reload', plan.timeoutMs, plan.signal);
  } catch (error) {
    return { answered: false, leftovers: [], problem: `the reload did not answer: ${errorMessage(error)}`, ms: ms(), usage: undefined };
  }
  const leftovers = addonLeftoversOf(reply.leftovers, label, plan.paths);
  if (!reply.enabled) {
    const raised = addonErrorsOf(await readAddonErrors(plan.addonErrorsFile), plan.paths)
      .filter((e) => e.kind === 'register')
      .at(-1);
    const why = raised ? describeAddonError(raised) : plan.paths.text(reply.problem ?? 'see the log');
    return { answered: true, leftovers, problem: `the add-on did not enable again: ${why}`, ms: ms(), usage: reply.usage };
  }
  try {
    await plan.session.ready(plan.signal);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { answered: true, leftovers, problem: `the add-on did not become ready again: ${error.message}`, ms: ms(), usage: reply.usage };
  }
  return { answered: true, leftovers, problem: undefined, ms: ms(), usage: reply.usage, uiTargets: reply.uiTargets };
}

function inCycle(result: StepResult, label: string): StepResult {
  return { ...result, step: `${result.step} (${label})` };
}

/** "Reload 2/3: nothing left behind; enabled and ready again in 112ms; 4 probe steps passed." */
export function cycleLine(cycle: ReloadCycle): string {
  const label = capitalized(`reload ${cycle.cycle}/${cycle.of}`);
  const left = cycle.leftovers.length === 0 ? 'nothing left behind' : `unregister() left ${cycle.leftovers.map(describeAddonLeftover).join('; ')}`;
  if (cycle.problem) return `${label}: ${left}; ${cycle.problem}.`;
  const steps = cycle.probes.passed + cycle.probes.failed;
  const probes =
    steps === 0
      ? 'no probe steps'
      : cycle.probes.failed === 0
        ? `${steps} probe step${steps > 1 ? 's' : ''} passed`
        : `${cycle.probes.failed} of ${steps} probe steps failed`;
  return `${label}: ${left}; enabled and ready again in ${formatDuration(cycle.reloadMs)}; ${probes}.`;
}
