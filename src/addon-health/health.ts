import { formatBytes } from '../bytes.js';
import { type AddonError, describeAddonError } from './errors.js';
import { type AddonLeftover, describeAddonLeftover } from './leftovers.js';
import { type MemoryFigures, reloadGrowth } from './memory.js';
import type { ReloadCycle } from './reload-check.js';
import { capitalized } from '../text.js';

/**
 * The add-on's own health over the run: what its code raised in the background, what its
 * unregister() left in Blender, whether it survived reload-check, and Blender's memory.
 */
export interface AddonHealth {
  errors: AddonError[];
  /** the add-on-errors input */
  errorsMode: 'fail' | 'warn';
  /** what unregister() left: at teardown (each session's) and in each reload cycle */
  leftovers: AddonLeftover[];
  /** the unregister-check input */
  leftoversMode: 'fail' | 'warn' | 'off';
  /** made while it was enabled, whose cannot be told (unownedLeftoversOf): listed, never judged */
  unowned?: AddonLeftover[];
  reloads: ReloadCycle[];
  memory: MemoryFigures | undefined;
  /** the max-memory-growth input, in bytes */
  maxMemoryGrowthBytes: number | undefined;
  /** what the unregister check cost in the run's own session, in ms */
  checkTimings: { snapshotMs: number | null; compareMs: number | null } | undefined;
}

/**
 * Every reason the add-on's health fails the run, most telling first; none in warn mode.
 * `ready`: whether the add-on ever became ready (if not, the session's failure already says
 * what its register() raised). A process left at teardown is a problem of its own already:
 * the leftover scan after Blender exits finds it, kills it and fails the run.
 */
export function healthProblems(health: AddonHealth, ready = true): string[] {
  const problems: string[] = [];
  // A register() that raised where the add-on did not come back (at start, in a reload cycle) is told there.
  const toldElsewhere = !ready || health.reloads.some((c) => c.problem);
  const errors = toldElsewhere ? health.errors.filter((e) => e.kind !== 'register') : health.errors;
  if (health.errorsMode === 'fail' && errors.length > 0) {
    const count = errors.length;
    problems.push(
      `The add-on's code raised ${count === 1 ? 'an error' : `${count} errors`} where no test or probe saw it; first: ${describeAddonError(errors[0]!)}.`,
    );
  }
  const judged = health.leftovers.filter((l) => !(l.kind === 'process' && l.phase.startsWith('teardown')));
  for (const [phase, leftovers] of byPhase(judged)) {
    if (health.leftoversMode !== 'fail') break;
    problems.push(`${phase === 'teardown' ? '' : `${capitalized(phase)}: `}${leftSentence(leftovers)}`);
  }
  for (const cycle of health.reloads) {
    if (cycle.problem) problems.push(`Reload ${cycle.cycle}/${cycle.of}: ${cycle.problem}${cycle.cycle < cycle.of ? '; the later cycles did not run' : ''}.`);
  }
  const growth = health.memory && reloadGrowth(health.memory);
  if (health.maxMemoryGrowthBytes !== undefined && growth !== undefined && growth > health.maxMemoryGrowthBytes) {
    const cycles = health.reloads.length;
    problems.push(
      `Blender's resident memory grew by ${formatBytes(growth)} over ${cycles} reload cycle${cycles > 1 ? 's' : ''}, more than max-memory-growth (${formatBytes(health.maxMemoryGrowthBytes)}).`,
    );
  }
  return problems;
}

/** "unregister() left 3 things in Blender; first: load_post handler on_load, sloppy/__init__.py:39." */
function leftSentence(leftovers: AddonLeftover[]): string {
  const count = leftovers.length;
  return `unregister() left ${count === 1 ? 'one thing' : `${count} things`} in Blender; ${count === 1 ? '' : 'first: '}${describeAddonLeftover(leftovers[0]!)}.`;
}

function byPhase(leftovers: AddonLeftover[]): Map<string, AddonLeftover[]> {
  const phases = new Map<string, AddonLeftover[]>();
  for (const leftover of leftovers) phases.set(leftover.phase, [...(phases.get(leftover.phase) ?? []), leftover]);
  return phases;
}
