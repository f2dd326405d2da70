import type { Installation } from '../src/blender/installation.js';
import { roundTrips } from './client.js';
import { serveWithDriver } from './servers.js';
import { type Summary, summarize } from './stats.js';
import { coverageSuiteCost } from './unit-tests.js';

export interface CoverageCost {
  python: string;
  /** the core coverage.py uses on this Python */
  core: string;
  asyncio: { off: Summary; on: Summary };
  timers: { off: Summary; on: Summary };
  tests: { offMs: number; onMs: number };
}

/**
 * What the coverage input costs on one Blender: round trips of the asyncio and the thread +
 * timers fixture add-ons with coverage off and on (the four served at once, taking turns in
 * blocks), and a test suite's tests phase off and on.
 */
export async function coverageCost(blender: Installation, samples: number, suite: { files: number; perFile: number; rounds: number }): Promise<CoverageCost> {
  const servers = {
    asyncioOff: await serveWithDriver(blender, 'asyncio'),
    asyncioOn: await serveWithDriver(blender, 'asyncio', undefined, true, true),
    timersOff: await serveWithDriver(blender, 'timers'),
    timersOn: await serveWithDriver(blender, 'timers', undefined, true, true),
  };
  const collected: Record<keyof typeof servers, number[]> = { asyncioOff: [], asyncioOn: [], timersOff: [], timersOn: [] };
  try {
    const block = Math.max(10, Math.floor(samples / 10));
    for (let done = 0; done < samples; done += block) {
      for (const name of Object.keys(servers) as (keyof typeof servers)[]) collected[name].push(...(await roundTrips(servers[name].port, block)));
    }
  } finally {
    for (const served of Object.values(servers)) await served.stop();
  }
  const python = servers.asyncioOn.pythonVersion;
  const [major, minor] = python.split('.').map(Number);
  return {
    python,
    core: major! > 3 || (major === 3 && minor! >= 12) ? 'sys.monitoring' : 'C trace function',
    asyncio: { off: summarize(collected.asyncioOff), on: summarize(collected.asyncioOn) },
    timers: { off: summarize(collected.timersOff), on: summarize(collected.timersOn) },
    tests: await coverageSuiteCost(blender.executable, suite.files, suite.perFile, suite.rounds),
  };
}
