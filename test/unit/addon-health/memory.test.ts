import { describe, expect, it } from 'vitest';
import { memoryFigures, memoryLine, reloadGrowth } from '../../../src/addon-health/memory.js';

const MIB = 1024 * 1024;
const usage = (rss: number | null, peak: number | null, cpu = 1) => ({
  rssBytes: rss === null ? null : rss * MIB,
  peakRssBytes: peak === null ? null : peak * MIB,
  cpuSeconds: cpu,
});

describe("Blender's memory through the run", () => {
  it('the figures at each moment, the peak over all of them, the CPU time at the end', () => {
    const memory = memoryFigures(usage(240, 241), usage(250, 262), [usage(251, 262), usage(253, 270)], usage(200, 271, 3.25));
    expect(memory).toEqual({
      atReadyBytes: 240 * MIB,
      afterWorkBytes: 250 * MIB,
      afterReloadBytes: [251 * MIB, 253 * MIB],
      peakBytes: 271 * MIB,
      cpuSeconds: 3.25,
    });
    expect(reloadGrowth(memory)).toBe(3 * MIB);
    expect(memoryLine(memory)).toBe(
      "Blender's memory: 240 MiB at ready, 250 MiB after the tests and probes, 251 MiB → 253 MiB over 2 reloads (+3 MiB), peak 271 MiB; 3.3 s of CPU",
    );
  });

  it('a platform that cannot tell: no growth, and the line says what it has', () => {
    const memory = memoryFigures(usage(null, null), undefined, [], usage(null, null, 0.5));
    expect(reloadGrowth(memory)).toBeUndefined();
    expect(memoryLine(memory)).toBe("Blender's memory: not measured here; 0.5 s of CPU");
    expect(reloadGrowth(memoryFigures(usage(240, 241), usage(250, 250), [], undefined))).toBeUndefined();
  });
});
