import { formatDuration } from '../duration.js';
import type { StepResult } from '../probes/results.js';
import { describeExit } from '../session/launch.js';
import type { TeardownReport } from '../session/session.js';

/** What the teardown sentences need to know about the probes that ran. */
export interface TeardownContext {
  shutdownTimeoutMs: number;
  results: StepResult[];
  /** how many steps never ran */
  notRun: number;
}

/**
 * The problem with how Blender ended, as one sentence; undefined for a graceful stop.
 * (Leftover processes are a separate problem: verdict.ts.)
 */
export function teardownProblem(teardown: TeardownReport, context: TeardownContext): string | undefined {
  const request = teardown.record.stopping ?? 'SIGTERM';
  switch (teardown.kind) {
    case 'graceful':
      return undefined;
    case 'early':
      return earlyExit(teardown, context);
    case 'killed':
      return `Blender did not exit within shutdown-timeout (${formatDuration(context.shutdownTimeoutMs)}) after ${request} and was killed, so teardown was not graceful; ${whyItHung(context.results)}`;
    case 'unclean':
      if (teardown.record.stopping === undefined) {
        return `Blender ${describeExit(teardown.exit)} before the driver could handle ${request} (it was still starting), so teardown was not graceful.`;
      }
      if (!teardown.record.clean) {
        return `Blender ${describeExit(teardown.exit)} after ${request}, before the driver had disabled the add-on (did unregister() end the process?), so teardown was not graceful.`;
      }
      return `Blender ${describeExit(teardown.exit)} after ${request} instead of exiting 0, so teardown was not graceful.`;
  }
}

/** "Blender was killed by SIGSEGV before it was asked to stop, during step …; 2 later steps did not run." */
function earlyExit(teardown: TeardownReport, context: TeardownContext): string {
  const during = context.results.find((r) => r.blenderExited);
  const where = during ? `, during ${during.kind === 'test' ? 'test' : 'step'} "${during.step}" (${during.file}:${during.line})` : '';
  const hint = teardown.exit.exitCode === 0 ? ' (did the add-on end the process itself?)' : '';
  const rest = context.notRun > 0 ? `; ${context.notRun} later step${context.notRun > 1 ? 's' : ''} did not run` : '';
  return `Blender ${describeExit(teardown.exit)} before it was asked to stop${where}${hint}${rest}.`;
}

/** A `blender` step that got no reply may still hold the main thread; otherwise suspect unregister(). */
function whyItHung(results: StepResult[]): string {
  const stuck = results.findLast((r) => (r.kind === 'blender' || r.kind === 'test') && r.timedOut);
  if (stuck) {
    const what = stuck.kind === 'test' ? 'test' : 'blender step';
    return `the main thread was still running the ${what} "${stuck.step}" (${stuck.file}:${stuck.line}), which had not ${stuck.kind === 'test' ? 'finished' : 'replied'} in time.`;
  }
  return "does the add-on's unregister() hang?";
}

/** One line for the log and summary: how Blender ended, and what it left behind. */
export function teardownLine(teardown: TeardownReport): string {
  const request = teardown.record.stopping ?? 'SIGTERM';
  const how = {
    graceful: `Blender stopped gracefully in ${formatDuration(teardown.durationMs)}`,
    early: `Blender ${describeExit(teardown.exit)} before it was asked to stop (not graceful)`,
    killed: 'Blender was killed after the shutdown timeout (not graceful)',
    unclean: `Blender ${describeExit(teardown.exit)} after ${request} (not graceful)`,
  }[teardown.kind];
  const count = teardown.leftovers.length;
  const leftovers = count === 0 ? 'no leftover processes' : `${count} leftover process(es) killed`;
  return `${how}; ${leftovers}.`;
}
