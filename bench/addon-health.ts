/**
 * What the add-on's health checks cost: the unregister check's snapshot (before the add-on is
 * enabled) and its comparison at teardown, as the driver measures them; a whole run with the
 * check on and off; one reload-check cycle of the example addon beside its probes' own time.
 */
import type { Installation } from '../src/blender/installation.js';
import { exampleRun } from './servers.js';
import { summarize } from './stats.js';

export interface CheckCost {
  snapshotMs: number;
  compareMs: number;
  /** the whole run's teardown, check on and off (paired runs, order alternating) */
  teardownOnMs: number;
  teardownOffMs: number;
}

export async function unregisterCheckCost(blender: Installation, runs: number): Promise<CheckCost> {
  const snapshot: number[] = [];
  const compare: number[] = [];
  const on: number[] = [];
  const off: number[] = [];
  for (let i = 0; i < runs; i++) {
    const checked = async () => {
      const { outcome } = await exampleRun(blender, {});
      const timings = outcome.health?.checkTimings;
      if (timings?.snapshotMs == null || timings.compareMs == null) throw new Error('the driver did not report what the unregister check cost');
      snapshot.push(timings.snapshotMs);
      compare.push(timings.compareMs);
      on.push(outcome.teardown!.durationMs);
    };
    const unchecked = async () => off.push((await exampleRun(blender, { 'unregister-check': 'off' })).outcome.teardown!.durationMs);
    for (const run of i % 2 === 0 ? [checked, unchecked] : [unchecked, checked]) await run();
  }
  return {
    snapshotMs: summarize(snapshot).median,
    compareMs: summarize(compare).median,
    teardownOnMs: summarize(on).median,
    teardownOffMs: summarize(off).median,
  };
}

export interface ReloadCost {
  cycles: number;
  /** disable → check → enable → ready again, per cycle */
  reloadMs: number;
  /** the example's probe files once, per cycle */
  probesMs: number;
}

export async function reloadCycleCost(blender: Installation, cycles: number): Promise<ReloadCost> {
  const { outcome } = await exampleRun(blender, { 'reload-check': String(cycles) });
  const reloads = outcome.health?.reloads ?? [];
  if (reloads.length !== cycles || reloads.some((c) => c.problem)) throw new Error('the example did not pass its reload cycles in the bench');
  const probes = reloads.map((c) => outcome.results.filter((r) => r.step.endsWith(`(reload ${c.cycle}/${cycles})`)).reduce((sum, r) => sum + r.durationMs, 0));
  return { cycles, reloadMs: summarize(reloads.map((c) => c.reloadMs)).median, probesMs: summarize(probes).median };
}
