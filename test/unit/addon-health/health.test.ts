import { describe, expect, it } from 'vitest';
import { type AddonHealth, healthProblems } from '../../../src/addon-health/health.js';
import type { ReloadCycle } from '../../../src/addon-health/reload-check.js';
import { addonError, leftover } from '../../helpers/health.js';

const MIB = 1024 * 1024;

function health(extra: Partial<AddonHealth> = {}): AddonHealth {
  return {
    errors: [],
    errorsMode: 'fail',
    leftovers: [],
    leftoversMode: 'fail',
    reloads: [],
    memory: undefined,
    maxMemoryGrowthBytes: undefined,
    checkTimings: undefined,
    ...extra,
  };
}

function cycle(n: number, extra: Partial<ReloadCycle> = {}): ReloadCycle {
  return { cycle: n, of: 3, leftovers: [], problem: undefined, reloadMs: 110, probes: { passed: 2, failed: 0 }, usage: undefined, ...extra };
}

describe('healthProblems: when the add-on’s own health fails the run', () => {
  it('a healthy addon: no problem', () => {
    expect(healthProblems(health())).toEqual([]);
  });

  it('background errors fail the run with the first one named on its line and the count; warn lists none', () => {
    const errors = [addonError({ count: 3 }), addonError({ kind: 'thread', where: "thread 'w'", line: 73 })];
    expect(healthProblems(health({ errors }))).toEqual([
      "The add-on's code raised 2 errors where no test or probe saw it; first: sloppy/__init__.py:47: bpy.app.timers function tick raised ZeroDivisionError: division by zero (3 times).",
    ]);
    expect(healthProblems(health({ errors: errors.slice(1) }))[0]).toBe(
      "The add-on's code raised an error where no test or probe saw it; first: sloppy/__init__.py:73: thread 'w' raised ZeroDivisionError: division by zero.",
    );
    expect(healthProblems(health({ errors, errorsMode: 'warn' }))).toEqual([]);
  });

  it('leftovers fail the run once per phase (teardown, each reload cycle); warn and off list none', () => {
    const leftovers = [
      leftover({ phase: 'reload 1/3' }),
      leftover({
        kind: 'port',
        name: 'port 127.0.0.1:7301',
        detail: 'still listening',
        line: 153,
        function: 'register',
        phase: 'reload 1/3',
        holder: { name: "thread 'srv'", file: 'sloppy/__init__.py', line: 115, function: 'serve' },
      }),
      leftover(),
    ];
    expect(healthProblems(health({ leftovers }))).toEqual([
      'Reload 1/3: unregister() left 2 things in Blender; first: load_post handler on_load, sloppy/__init__.py:39.',
      'unregister() left one thing in Blender; load_post handler on_load, sloppy/__init__.py:39.',
    ]);
    expect(healthProblems(health({ leftovers, leftoversMode: 'warn' }))).toEqual([]);
    expect(healthProblems(health({ leftovers, leftoversMode: 'off' }))).toEqual([]);
  });

  it('a cycle the add-on did not come back from fails whatever unregister-check says, and says the later cycles did not run', () => {
    const reloads = [cycle(1, { problem: 'the add-on did not enable again: OSError: [Errno 98] Address already in use' })];
    expect(healthProblems(health({ reloads, leftoversMode: 'off' }))).toEqual([
      'Reload 1/3: the add-on did not enable again: OSError: [Errno 98] Address already in use; the later cycles did not run.',
    ]);
    expect(healthProblems(health({ reloads: [cycle(3, { problem: 'the add-on did not become ready again: x' })] }))).toEqual([
      'Reload 3/3: the add-on did not become ready again: x.',
    ]);
  });

  it('memory growth over the cycles above max-memory-growth fails, by how much; below it or without figures, not', () => {
    const memory = { atReadyBytes: 240 * MIB, afterWorkBytes: 250 * MIB, afterReloadBytes: [260 * MIB, 275.5 * MIB], peakBytes: 280 * MIB, cpuSeconds: 2 };
    const reloads = [cycle(1), cycle(2)];
    expect(healthProblems(health({ memory, reloads, maxMemoryGrowthBytes: 20 * MIB }))).toEqual([
      "Blender's resident memory grew by 25.5 MiB over 2 reload cycles, more than max-memory-growth (20 MiB).",
    ]);
    expect(healthProblems(health({ memory, reloads, maxMemoryGrowthBytes: 30 * MIB }))).toEqual([]);
    expect(healthProblems(health({ memory: { ...memory, afterReloadBytes: [undefined] }, reloads, maxMemoryGrowthBytes: 1 }))).toEqual([]);
  });
});
