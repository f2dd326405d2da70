import { formatBytes } from '../bytes.js';
import type { Usage } from '../session/driver-protocol.js';

/**
 * Blender's resident memory through the run, and its CPU time: the figures a leak shows in.
 * With reload-check, what it grows by over the cycles is the signal (max-memory-growth).
 * A figure the platform cannot give is undefined.
 */
export interface MemoryFigures {
  atReadyBytes: number | undefined;
  /** after the tests and probes, before any reload cycle */
  afterWorkBytes: number | undefined;
  /** after each reload cycle that ran */
  afterReloadBytes: (number | undefined)[];
  /** the most Blender was resident over the whole session */
  peakBytes: number | undefined;
  /** user + system, up to the end of unregister() */
  cpuSeconds: number | undefined;
}

export function memoryFigures(
  atReady: Usage | undefined,
  afterWork: Usage | undefined,
  afterReloads: (Usage | undefined)[],
  atEnd: Usage | undefined,
): MemoryFigures {
  const peaks = [atReady, afterWork, ...afterReloads, atEnd].map((u) => u?.peakRssBytes ?? undefined).filter((p): p is number => p !== undefined);
  return {
    atReadyBytes: atReady?.rssBytes ?? undefined,
    afterWorkBytes: afterWork?.rssBytes ?? undefined,
    afterReloadBytes: afterReloads.map((u) => u?.rssBytes ?? undefined),
    peakBytes: peaks.length > 0 ? Math.max(...peaks) : undefined,
    cpuSeconds: atEnd?.cpuSeconds ?? afterReloads.at(-1)?.cpuSeconds ?? afterWork?.cpuSeconds,
  };
}

/** How much resident memory grew from before the first reload cycle to after the last; undefined without cycles or figures. */
export function reloadGrowth(memory: MemoryFigures): number | undefined {
  const last = memory.afterReloadBytes.at(-1);
  return memory.afterWorkBytes !== undefined && last !== undefined ? last - memory.afterWorkBytes : undefined;
}

/** "Blender's memory: 243 MiB at ready, 251 MiB after the tests and probes, 252 → 253 → 253 MiB over 3 reloads (+2 MiB), peak 260 MiB; 1.9 s of CPU" */
export function memoryLine(memory: MemoryFigures): string | undefined {
  const parts: string[] = [];
  if (memory.atReadyBytes !== undefined) parts.push(`${formatBytes(memory.atReadyBytes)} at ready`);
  if (memory.afterWorkBytes !== undefined) parts.push(`${formatBytes(memory.afterWorkBytes)} after the tests and probes`);
  const reloads = memory.afterReloadBytes.filter((b): b is number => b !== undefined);
  if (reloads.length > 0) {
    const growth = reloadGrowth(memory);
    const signed = growth === undefined ? '' : ` (${growth >= 0 ? '+' : '-'}${formatBytes(Math.abs(growth))})`;
    parts.push(`${reloads.map(formatBytes).join(' → ')} over ${reloads.length} reload${reloads.length > 1 ? 's' : ''}${signed}`);
  }
  if (memory.peakBytes !== undefined) parts.push(`peak ${formatBytes(memory.peakBytes)}`);
  if (parts.length === 0 && memory.cpuSeconds === undefined) return undefined;
  const cpu = memory.cpuSeconds !== undefined ? `; ${memory.cpuSeconds.toFixed(1)} s of CPU` : '';
  return `Blender's memory: ${parts.join(', ') || 'not measured here'}${cpu}`;
}
