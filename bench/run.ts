/**
 * Performance harness: everything measured in one run on one machine, as ratios.
 *
 *   npm run bench             full run, writes bench/results.md
 *   npm run bench -- --smoke  few samples, writes nothing (CI runs this so the bench cannot rot)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { Installation } from '../src/blender/installation.js';
import { withKnownVersion } from '../src/blender/known-version.js';
import { locateBlender } from '../src/blender/locate.js';
import { roundTrips, throughput } from './client.js';
import { idleCost } from './process-stats.js';
import { cacheHitMs, coldInstall } from './provisioning.js';
import { replyReadMs } from './replies.js';
import { coverageCost } from './coverage.js';
import { reloadCycleCost, unregisterCheckCost } from './addon-health.js';
import { perStepCost } from './probe-files.js';
import { shardBalance } from './shards.js';
import { watchCost } from './watch.js';
import { mcpRoundTrips } from './mcp.js';
import { compareCost, renderCost } from './snapshots.js';
import { collidingSuiteCost, existingSuiteCost, unitTestCost, workersCost } from './unit-tests.js';
import { scriptSuiteCost } from './test-scripts.js';
import { htmlReportCost } from './html-report.js';
import { type Served, bareStartupMs, exampleRun, serveReference, serveWithDriver } from './servers.js';
import { formatMs, summarize } from './stats.js';
import { uiCheckCost } from './ui-check.js';

const smoke = process.argv.includes('--smoke');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const N = smoke
  ? { fast: 50, slow: 5, starts: 1, idleSeconds: 1, throughputSeconds: 0.3, wholeRuns: 1, cacheHits: 3, archiveMb: 60, installs: 1, replySamples: 1 }
  : { fast: 3000, slow: 100, starts: 7, idleSeconds: 10, throughputSeconds: 3, wholeRuns: 5, cacheHits: 21, archiveMb: 1100, installs: 3, replySamples: 5 };
/** A good CI runner's download speed from blender.org; loopback alone would hide the overlap. */
const LINK_MB_PER_SECOND = 100;

interface Row {
  measure: string;
  value: string;
  versus: string;
  target: string;
  met: boolean | undefined;
}
const rows: Row[] = [];
const log = (line: string) => process.stderr.write(`${line}\n`);

async function withServer<T>(start: Promise<Served>, use: (served: Served) => Promise<T>): Promise<T> {
  const served = await start;
  try {
    return await use(served);
  } finally {
    await served.stop();
  }
}

/** The Blenders scripts/test-blenders built (4.3 and 5.2 in chroots), if any: more Pythons to measure on. */
async function otherTestBlenders(): Promise<Installation[]> {
  const listed = await execa(path.join(ROOT, 'scripts', 'test-blenders'), ['list'], { reject: false });
  const found: Installation[] = [];
  for (const executable of (listed.stdout ?? '').split('\n').filter(Boolean)) found.push(await withKnownVersion(await locateBlender(executable)));
  return found;
}

async function main(): Promise<void> {
  const blender = await locateBlender(process.env['BLENDER'] ?? 'blender');
  log(`bench${smoke ? ' (smoke)' : ''}: ${blender.executable}, ${os.cpus().length} cores`);

  // 1. Round trips over one persistent connection. All servers run at once and take turns
  // in blocks of samples, so drift on a noisy machine hits every configuration alike.
  log('round trips: floor, sleep loop, (a), (b), (d) interleaved; (c) pump');
  const servers = {
    floor: await serveReference(blender, 'floor'),
    sleepLoop: await serveReference(blender, 'sleep_loop'),
    asyncio: await serveWithDriver(blender, 'asyncio'),
    timers: await serveWithDriver(blender, 'timers'),
    kick: await serveWithDriver(blender, 'kick'),
    pump: await serveWithDriver(blender, 'pump', 'fixture_service:step'),
    pumpNoWake: await serveWithDriver(blender, 'pump', 'fixture_service:step', false),
  };
  const samples: Record<keyof typeof servers, number[]> = { floor: [], sleepLoop: [], asyncio: [], timers: [], kick: [], pump: [], pumpNoWake: [] };
  const blocks = smoke ? 2 : 20;
  try {
    for (let block = 0; block < blocks; block++) {
      for (const name of Object.keys(servers) as (keyof typeof servers)[]) {
        const count = Math.ceil((name === 'sleepLoop' || name === 'pumpNoWake' ? N.slow : N.fast) / blocks);
        samples[name].push(...(await roundTrips(servers[name].port, count)));
      }
    }
  } finally {
    for (const served of Object.values(servers)) await served.stop();
  }
  const [floor, sleepLoop, asyncio, timers, kick, pump, pumpNoWake] = [
    samples.floor,
    samples.sleepLoop,
    samples.asyncio,
    samples.timers,
    samples.kick,
    samples.pump,
    samples.pumpNoWake,
  ].map(summarize) as [
    ReturnType<typeof summarize>,
    ReturnType<typeof summarize>,
    ReturnType<typeof summarize>,
    ReturnType<typeof summarize>,
    ReturnType<typeof summarize>,
    ReturnType<typeof summarize>,
    ReturnType<typeof summarize>,
  ];
  const rt = async (label: string, start: Promise<Served>, count: number, maxGapMs = 0) => {
    log(`round trips: ${label}`);
    return summarize(await withServer(start, (s) => roundTrips(s.port, count, maxGapMs)));
  };
  const pumpRandom = await rt('(c) pump, random arrivals', serveWithDriver(blender, 'pump', 'fixture_service:step'), N.slow, 10);
  const rtValue = (s: typeof floor) => `${formatMs(s.median)} (p99 ${formatMs(s.p99)})`;
  rows.push(
    { measure: 'Round trip, floor: plain blocking asyncio script', value: rtValue(floor), versus: '1x', target: '', met: undefined },
    {
      measure: "Round trip, today's practice: kick + sleep(0.05) loop",
      value: rtValue(sleepLoop),
      versus: `${(sleepLoop.median / floor.median).toFixed(0)}x floor`,
      target: '',
      met: undefined,
    },
    {
      measure: 'Round trip (a) asyncio server, driver',
      value: rtValue(asyncio),
      versus: `${(asyncio.median / floor.median).toFixed(2)}x floor; ${(sleepLoop.median / asyncio.median).toFixed(0)}x faster than sleep loop`,
      target: '≤ 1.5x floor',
      met: asyncio.median <= 1.5 * floor.median,
    },
    {
      measure: 'Round trip (b) thread + bpy.app.timers, driver',
      value: rtValue(timers),
      versus: `${(timers.median / floor.median).toFixed(2)}x floor; ${(sleepLoop.median / timers.median).toFixed(0)}x faster than sleep loop`,
      target: '< 1 ms median',
      met: timers.median < 1,
    },
    {
      measure: 'Round trip (c) thread + queue drained by pump (10 ms) with pump-wake, back-to-back requests',
      value: rtValue(pump),
      versus: `${(pump.median / timers.median).toFixed(2)}x (b) timers; without pump-wake ${rtValue(pumpNoWake)}`,
      target: '≤ 2x (b) timers',
      met: pump.median <= 2 * timers.median,
    },
    {
      measure: 'Round trip (c) same, requests at random times',
      value: rtValue(pumpRandom),
      versus: `${(pumpRandom.median / 10).toFixed(2)}x pump-interval`,
      target: '< pump-interval (10 ms)',
      met: pumpRandom.median < 10,
    },
    {
      measure: 'Round trip (d) asyncio + own kick_async_loop timer, driver',
      value: rtValue(kick),
      versus: `${(kick.median / floor.median).toFixed(2)}x floor`,
      target: '',
      met: undefined,
    },
  );

  // 2 + 3. Readiness overhead and teardown: each driver start paired with a bare start, the
  // pair's order alternating (bare first, then driver first...), so neither side always runs
  // on a machine just warmed or just loaded by the other. The overhead is the median of the
  // pairs' differences, not a difference of medians taken from different moments.
  const bare: number[] = [];
  const ready: number[] = [];
  const overheads: number[] = [];
  const teardown: number[] = [];
  for (let i = 0; i < N.starts; i++) {
    log(`startup ${i + 1}/${N.starts}`);
    const driverStart = async () => {
      const served = await serveWithDriver(blender, 'asyncio');
      ready.push(served.readyMs);
      teardown.push(await served.stop());
    };
    const bareStart = async () => bare.push(await bareStartupMs(blender));
    for (const start of i % 2 === 0 ? [bareStart, driverStart] : [driverStart, bareStart]) await start();
    overheads.push(ready.at(-1)! - bare.at(-1)!);
  }
  const bareStartup = summarize(bare).median;
  const readyMedian = summarize(ready).median;
  const readyOverhead = summarize(overheads).median;
  const teardownMedian = summarize(teardown).median;
  rows.push(
    { measure: "Blender's bare startup to a --python script", value: formatMs(bareStartup), versus: '', target: '', met: undefined },
    {
      measure: 'Readiness overhead: spawn → ready (file + port), minus bare startup (median of paired starts, order alternating)',
      value: formatMs(readyOverhead),
      versus: `${formatMs(readyMedian)} in all; pairs from ${formatMs(Math.min(...overheads))} to ${formatMs(Math.max(...overheads))}`,
      target: '< 150 ms',
      met: readyOverhead < 150,
    },
    {
      measure: 'Teardown: SIGTERM → Blender gone + leftover scan',
      value: formatMs(teardownMedian),
      versus: `p99 ${formatMs(summarize(teardown).p99)}`,
      target: '< 500 ms',
      met: teardownMedian < 500,
    },
  );

  // 4. Idle cost, against today's practice idling too.
  log(`idle cost (${N.idleSeconds}s each)`);
  const idle = await withServer(serveWithDriver(blender, 'asyncio'), (s) => idleCost(s.pid, N.idleSeconds));
  const idleSleep = await withServer(serveReference(blender, 'sleep_loop'), (s) => idleCost(s.pid, N.idleSeconds));
  rows.push({
    measure: `Idle cost over ${N.idleSeconds} s (asyncio addon, no pump)`,
    value: `${idle.cpuPercent.toFixed(2)}% of a core, ${idle.wakeupsPerSecond.toFixed(1)} wakeups/s`,
    versus: `sleep loop: ${idleSleep.cpuPercent.toFixed(2)}%, ${idleSleep.wakeupsPerSecond.toFixed(1)} wakeups/s`,
    target: '< 1% of a core',
    met: idle.cpuPercent < 1,
  });

  // 4b. A pump addon idling, with and without pump-wake; and a thread that waits in a tight
  // loop (event.wait(0.001) forever), which must not make the driver spin.
  const idleCostOf = (mode: string, pumpWake: boolean) =>
    withServer(serveWithDriver(blender, mode, 'fixture_service:step', pumpWake), (s) => idleCost(s.pid, N.idleSeconds));
  const describeIdle = (c: { cpuPercent: number; wakeupsPerSecond: number }) =>
    `${c.cpuPercent.toFixed(2)}% of a core, ${c.wakeupsPerSecond.toFixed(1)} wakeups/s`;
  log('idle cost: pump addon, pump-wake on and off; a tight waiter');
  const pumpIdle = await idleCostOf('pump', true);
  const pumpIdleNoWake = await idleCostOf('pump', false);
  const tightWaiter = await idleCostOf('pump_tight_waiter', true);
  const tightWaiterNoWake = await idleCostOf('pump_tight_waiter', false);
  rows.push(
    {
      measure: `Idle cost over ${N.idleSeconds} s, pump addon (10 ms), pump-wake on`,
      value: describeIdle(pumpIdle),
      versus: `off: ${describeIdle(pumpIdleNoWake)}`,
      target: 'unchanged within noise',
      met: undefined,
    },
    {
      measure: `Idle cost over ${N.idleSeconds} s, pump addon with a thread in event.wait(0.001) forever, pump-wake on`,
      value: describeIdle(tightWaiter),
      versus: `off: ${describeIdle(tightWaiterNoWake)}`,
      target: 'bounded: one pump pass per wait at most, passes ≥ 0.1 ms apart',
      met: undefined,
    },
  );

  // 5. The example's probes end to end, through the whole pipeline.
  const whole: number[] = [];
  for (let i = 0; i < N.wholeRuns; i++) {
    log(`whole run ${i + 1}/${N.wholeRuns}`);
    whole.push((await exampleRun(blender)).ms);
  }
  const wholeMedian = summarize(whole).median;
  rows.push({
    measure: 'Whole run: the example end to end, minus bare startup',
    value: formatMs(wholeMedian - bareStartup),
    versus: `${formatMs(wholeMedian)} in all`,
    target: '< 1.5 s',
    met: wholeMedian - bareStartup < 1500,
  });

  // 5b. The add-on's health: the unregister check's cost (on every test Blender: each Python
  // has its own number of types to walk), and one reload-check cycle beside its probes.
  for (const target of [await withKnownVersion(blender), ...(await otherTestBlenders())]) {
    log(`unregister check and reload cycle: ${target.executable}`);
    const check = await unregisterCheckCost(target, smoke ? 1 : 5);
    const reload = await reloadCycleCost(target, smoke ? 1 : 5);
    const on = `Blender ${target.version ?? ''}`;
    rows.push(
      {
        measure: `unregister-check at teardown (the comparison after unregister(), nothing left), ${on}`,
        value: formatMs(check.compareMs),
        versus: `snapshot before enable (paid at startup): ${formatMs(check.snapshotMs)}; teardown on ${formatMs(check.teardownOnMs)}, off ${formatMs(check.teardownOffMs)}`,
        target: '< 20 ms',
        met: check.compareMs < 20,
      },
      {
        measure: `One reload-check cycle of the example addon (disable, check, drop its modules, enable, ready again), ${on}`,
        value: formatMs(reload.reloadMs),
        versus: `its probe files once: ${formatMs(reload.probesMs)}`,
        target: '',
        met: undefined,
      },
    );
  }

  // 6. Throughput over 4 concurrent connections.
  for (const [label, mode] of [
    ['(a) asyncio', 'asyncio'],
    ['(b) thread + timers', 'timers'],
  ] as const) {
    log(`throughput ${label}`);
    const rps = await withServer(serveWithDriver(blender, mode), (s) => throughput(s.port, 4, N.throughputSeconds));
    rows.push({ measure: `Throughput ${label}, 4 connections`, value: `${rps.toFixed(0)} req/s`, versus: '', target: '', met: undefined });
  }

  // 6b. Big replies: reading must stay linear in the reply's size (it was quadratic: 40 MB took 62 s).
  log('replies: 5 MB and 40 MB');
  const small = await replyReadMs(5, N.replySamples);
  const big = await replyReadMs(40, N.replySamples);
  rows.push({
    measure: 'Reading a 40 MB bare-JSON reply (64 KiB pieces), against 5 MB',
    value: formatMs(big),
    versus: `5 MB: ${formatMs(small)} (${(big / small).toFixed(1)}x for 8x the bytes)`,
    target: 'linear: < 12x',
    met: big / small < 12,
  });

  // 6c. The add-on's own tests: 1,000 trivial ones, in the session versus a fresh Blender per file.
  log('addon tests: 1,000 trivial tests in 10 files');
  const unit = await unitTestCost(blender.executable, 10, smoke ? 10 : 100);
  const overhead = unit.inSessionMs - unit.testsOwnMs;
  rows.push({
    measure: `${unit.tests} trivial unittest tests in ${unit.files} files, inside the kept-alive session: time beyond the tests' own`,
    value: formatMs(overhead),
    versus: `a fresh blender -b per file: ${formatMs(unit.freshPerFileMs)}`,
    target: smoke ? '' : '< 2 s',
    met: smoke ? undefined : overhead < 2000,
  });

  // 6d. A suite shaped like real ones (30+ files, ~400 tests), against today's loop.
  log('addon tests: an existing suite of 32 files, one session versus a blender -b per file');
  const existing = await existingSuiteCost(blender.executable, smoke ? 4 : 32, smoke ? 3 : 13, smoke ? 1 : 2);
  rows.push({
    measure: `An existing suite: ${existing.tests} tests in ${existing.files} files (read_homefile in setUp, objects built), the whole action run in one session (start, tests, teardown)`,
    value: formatMs(existing.inSessionMs),
    versus: `one blender -b per file: ${formatMs(existing.freshPerFileMs)} (${(existing.inSessionMs / existing.freshPerFileMs).toFixed(2)}x); the tests' own time ${formatMs(existing.testsOwnMs)}`,
    target: smoke ? '' : 'faster than a blender -b per file',
    met: smoke ? undefined : existing.inSessionMs < existing.freshPerFileMs,
  });

  // 6e. Suites that are scripts: per-file *.test.py beside a Blender per file; the suite's own runner beside its own blender -b --python.
  log('test scripts: per-file scripts and an own runner, beside their own loops');
  const scripts = await scriptSuiteCost(blender.executable, smoke ? 3 : 30, smoke ? 1 : 2);
  rows.push({
    measure: `Per-file scripts: ${scripts.files} *.test.py files (${scripts.tests} tests, the startup scene loaded before each), the whole run`,
    value: formatMs(scripts.perFile.oursMs),
    versus: `a blender -b --python per file: ${formatMs(scripts.perFile.loopMs)} (${(scripts.perFile.oursMs / scripts.perFile.loopMs).toFixed(2)}x)`,
    target: smoke ? '' : 'faster than a blender -b per file',
    met: smoke ? undefined : scripts.perFile.oursMs < scripts.perFile.loopMs,
  });
  rows.push({
    measure: `The suite's own runner (test-script): ${scripts.tests} tests in ${scripts.files} files it discovers, the whole run`,
    value: formatMs(scripts.ownRunner.oursMs),
    versus: `one blender -b --python runner.py: ${formatMs(scripts.ownRunner.loopMs)} (${(scripts.ownRunner.oursMs / scripts.ownRunner.loopMs).toFixed(2)}x; ours adds staging, readiness, teardown and per-test reports)`,
    target: '',
    met: undefined,
  });

  // 6e'. The HTML report of a 1,000-test run (and a 20,000-result one): written, its size, opened in Chromium.
  log('the HTML report: 1,000 and 20,000 results, written and opened in Chromium');
  for (const count of smoke ? [100] : [1000, 20000]) {
    const html = await htmlReportCost(count);
    rows.push({
      measure: `The HTML report of ${count} test results (one in ten failed, with a traceback): opened in Chromium to its first rows`,
      value: formatMs(html.loadMs),
      versus: `written in ${formatMs(html.writeMs)}; index.html ${(html.bytes / 1024 / 1024).toFixed(2)} MB`,
      target: smoke || count !== 1000 ? '' : 'usable in < 1 s, a few MB',
      met: smoke || count !== 1000 ? undefined : html.loadMs < 1000 && html.bytes < 5 * 1024 * 1024,
    });
  }

  // 6f. Test workers: the same heavy suite on 1, 2 and auto workers, against a blender -b per file.
  log('addon tests on test workers: 1, 2, auto');
  const workers = await workersCost(blender.executable, smoke ? 4 : 32, smoke ? 2 : 8, 1);
  const one = workers.byWorkers.find((w) => w.setting === '1')!.ms;
  for (const { setting, ms } of workers.byWorkers.filter((w) => w.setting !== '1')) {
    rows.push({
      measure: `Test workers: ${workers.tests} tests in ${workers.files} files (mesh work in each), test-workers: ${setting}, the whole run`,
      value: formatMs(ms),
      versus: `1 worker: ${formatMs(one)} (${(ms / one).toFixed(2)}x); a blender -b per file: ${formatMs(workers.freshPerFileMs)} (${(ms / workers.freshPerFileMs).toFixed(2)}x)`,
      target: setting === '2' && !smoke ? '≤ 0.6x 1 worker' : '',
      met: setting === '2' && !smoke ? ms <= 0.6 * one : undefined,
    });
  }

  // 6f'. A suite that is not parallel-safe: the verdict with 2 workers is 1 worker's, and what the retry costs.
  log('a suite that is not parallel-safe, on 1 and 2 workers, and 2 workers remembering it');
  const colliding = await collidingSuiteCost(blender.executable, smoke ? 2 : 30);
  const sameVerdict = colliding.twoWorkers.ok === colliding.oneWorker.ok && colliding.twoWorkers.passed === colliding.oneWorker.passed;
  rows.push({
    measure: `A suite that is not parallel-safe (2 files empty a shared output folder, beside ${colliding.meshFiles} mesh files), test-workers: 2, the whole run`,
    value: formatMs(colliding.twoWorkers.ms),
    versus:
      `1 worker: ${formatMs(colliding.oneWorker.ms)} (${(colliding.twoWorkers.ms / colliding.oneWorker.ms).toFixed(2)}x); verdict ${colliding.twoWorkers.ok ? 'passed' : 'failed'} ` +
      `(${colliding.twoWorkers.passed} passed; 1 worker: ${colliding.oneWorker.ok ? 'passed' : 'failed'}, ${colliding.oneWorker.passed}); ${colliding.unsafeFiles} file run again alone: ${formatMs(colliding.retryMs)}`,
    target: 'the verdict 1 worker gives; the file named',
    met: sameVerdict && colliding.unsafeFiles === 1,
  });
  const rememberedVerdict = colliding.remembered.ok === colliding.oneWorker.ok && colliding.remembered.passed === colliding.oneWorker.passed;
  rows.push({
    measure: `The same suite, test-workers: 2 given the first run's result file (shard-durations): the unsafe file runs alone from the start`,
    value: formatMs(colliding.remembered.ms),
    versus: `1 worker: ${formatMs(colliding.oneWorker.ms)} (${(colliding.remembered.ms / colliding.oneWorker.ms).toFixed(2)}x); the first 2-worker run: ${(colliding.twoWorkers.ms / colliding.oneWorker.ms).toFixed(2)}x; verdict ${colliding.remembered.ok ? 'passed' : 'failed'} (${colliding.remembered.passed} passed)`,
    target: smoke ? '' : '≤ 0.6x 1 worker, the verdict 1 worker gives',
    met: smoke ? undefined : rememberedVerdict && colliding.remembered.ms <= 0.6 * colliding.oneWorker.ms,
  });

  // 6f''. Shards: a skewed suite over 4 shards, by count and by a first run's durations, against the ideal.
  log('shards: a skewed suite over 4 shards, by count and by durations');
  const balance = await shardBalance(blender.executable, smoke ? 8 : 32, 4, smoke ? 50 : 100);
  rows.push({
    measure: `Shards: ${balance.files} test files (one 10x the rest) over ${balance.shards} shards, the slowest shard's tests over the ideal (total / ${balance.shards}), planned by a first run's durations`,
    value: `${balance.byDurations.toFixed(2)}x (${formatMs(balance.slowestByDurationsMs)})`,
    versus: `by count, as Playwright splits: ${balance.byCount.toFixed(2)}x (${formatMs(balance.slowestByCountMs)})`,
    target: smoke ? '' : '≤ 1.15x',
    met: smoke ? undefined : balance.byDurations <= 1.15,
  });

  // 6f'''. --watch: a save of the add-on to the run's last line, against the same work as a fresh command.
  log('--watch: save to result, the example add-on, with and without 100 tests');
  for (const tests of [0, 100]) {
    const watch = await watchCost(blender.executable, tests, smoke ? 2 : 9);
    rows.push({
      measure: `--watch: a save of the example add-on, to its run's last line (reload, ${tests > 0 ? `${tests} tests and ` : ''}its probes)`,
      value: formatMs(watch.saveToResultMs),
      versus: `the same work as a fresh command: ${formatMs(watch.freshCommandMs)} (${(watch.saveToResultMs / watch.freshCommandMs).toFixed(2)}x); the tests' own time ${formatMs(watch.testsOwnMs)}`,
      target: smoke ? '' : "under 300 ms plus the tests' own time",
      met: smoke ? undefined : watch.saveToResultMs < 300 + watch.testsOwnMs,
    });
  }

  // 6f''''. MCP: a tools/call through the fixture bridge beside the socket round trip it forwards to.
  log('MCP: tools/call through a bridge (stdio, streamable HTTP) beside the raw socket');
  const mcp = await mcpRoundTrips(blender, smoke ? 20 : 1000, smoke ? 2 : 10);
  const [raw, rawFresh, mcpStdio, mcpHttp] = [mcp.raw, mcp.rawPerConnection, mcp.stdio, mcp.http].map(summarize) as [
    ReturnType<typeof summarize>,
    ReturnType<typeof summarize>,
    ReturnType<typeof summarize>,
    ReturnType<typeof summarize>,
  ];
  const besideRaw = (s: typeof raw) =>
    `${(s.median / raw.median).toFixed(1)}x the raw socket round trip (${rtValue(raw)}, one kept connection; ${rtValue(rawFresh)} on a new connection per request, as the bridge makes)`;
  rows.push(
    {
      measure: "MCP tools/call round trip through a bridge over stdio (fixture bridge → the add-on's socket, thread + timers)",
      value: rtValue(mcpStdio),
      versus: besideRaw(mcpStdio),
      target: '',
      met: undefined,
    },
    {
      measure: 'MCP tools/call round trip through a bridge over streamable HTTP (the companion)',
      value: rtValue(mcpHttp),
      versus: besideRaw(mcpHttp),
      target: '',
      met: undefined,
    },
  );

  // 6f'''''. Render snapshots: a render step's render, and the comparison of two 1024×1024 images.
  log('render snapshots: a 256×256 Cycles render at 16 samples; comparing two 1024×1024 images');
  const renders = await renderCost(blender, smoke ? 2 : 15);
  const comparisonDir = await mkdtemp(path.join(os.tmpdir(), 'bg-bench-compare-'));
  const comparisons = await compareCost(smoke ? 2 : 15, comparisonDir);
  await rm(comparisonDir, { recursive: true, force: true });
  const renderStep = summarize(renders.stepMs).median;
  const renderOwn = summarize(renders.renderSeconds.map((s) => s * 1000)).median;
  rows.push(
    {
      measure: 'A render step: 256×256, Cycles on the CPU, 16 samples (the factory cube), through the kept-alive session',
      value: formatMs(renderStep),
      versus: `Blender's render itself: ${formatMs(renderOwn)}`,
      target: '',
      met: undefined,
    },
    {
      measure: 'Comparing two 1024×1024 images (pixelmatch), PNG decoding included',
      value: formatMs(summarize(comparisons.decodeAndCompareMs).median),
      versus: `pixelmatch alone: ${formatMs(summarize(comparisons.compareMs).median)}`,
      target: '',
      met: undefined,
    },
  );

  // 6g. Big probe files: per-step cost of loading (positions once per file) and of JUnit.
  log('probe files: 1,000 and 20,000 steps');
  const thousand = await perStepCost(1000, smoke ? 1 : 5);
  const many = await perStepCost(smoke ? 5000 : 20_000, smoke ? 1 : 3);
  rows.push(
    {
      measure: `Loading a probe file of ${smoke ? '5,000' : '20,000'} steps: per step`,
      value: `${many.loadUs.toFixed(1)} µs`,
      versus: `1,000 steps: ${thousand.loadUs.toFixed(1)} µs (${(many.loadUs / thousand.loadUs).toFixed(2)}x)`,
      target: smoke ? '' : '≤ 1.5x',
      met: smoke ? undefined : many.loadUs <= 1.5 * thousand.loadUs,
    },
    {
      measure: `JUnit for ${smoke ? '5,000' : '20,000'} step results: per step`,
      value: `${many.junitUs.toFixed(1)} µs`,
      versus: `1,000: ${thousand.junitUs.toFixed(1)} µs (${(many.junitUs / thousand.junitUs).toFixed(2)}x)`,
      target: smoke ? '' : '≤ 1.5x',
      met: smoke ? undefined : many.junitUs <= 1.5 * thousand.junitUs,
    },
  );

  // 6e. Coverage: what the coverage input costs, on this Blender and on the test Blenders
  // (scripts/test-blenders) whose Python 3.12+ gives coverage its sys.monitoring core.
  for (const target of [await withKnownVersion(blender), ...(await otherTestBlenders())]) {
    log(`coverage cost: ${target.executable}`);
    const cost = await coverageCost(target, smoke ? 20 : 1000, smoke ? { files: 2, perFile: 3, rounds: 1 } : { files: 10, perFile: 30, rounds: 2 });
    const on = `Blender ${target.version ?? ''} (Python ${cost.python}, ${cost.core})`.replace('Blender  ', 'Blender ');
    const ratio = (pair: { off: { median: number }; on: { median: number } }) => (pair.on.median / pair.off.median).toFixed(2);
    rows.push(
      {
        measure: `Coverage on, round trip (a) asyncio, ${on}`,
        value: formatMs(cost.asyncio.on.median),
        versus: `off: ${formatMs(cost.asyncio.off.median)} (${ratio(cost.asyncio)}x)`,
        target: '',
        met: undefined,
      },
      {
        measure: `Coverage on, round trip (b) thread + timers, ${on}`,
        value: formatMs(cost.timers.on.median),
        versus: `off: ${formatMs(cost.timers.off.median)} (${ratio(cost.timers)}x)`,
        target: '',
        met: undefined,
      },
      {
        measure: `Coverage on, a bpy test suite's tests phase, ${on}`,
        value: formatMs(cost.tests.onMs),
        versus: `off: ${formatMs(cost.tests.offMs)} (${(cost.tests.onMs / cost.tests.offMs).toFixed(2)}x)`,
        target: '',
        met: undefined,
      },
    );
  }

  // 6h. The UI check: the clean UI fixture drawn, against the same run without it, on every test Blender.
  for (const target of [await withKnownVersion(blender), ...(await otherTestBlenders())]) {
    log(`UI check cost: ${target.executable}`);
    const ui = await uiCheckCost(target, smoke ? 1 : 5);
    const beyond = ui.onMs - ui.offMs;
    rows.push({
      measure: `The UI check: the clean UI fixture's ${ui.drawn} panels, menus, lists and functions drawn in a Blender with a window (Xvfb, llvmpipe), Blender ${target.version ?? ''}: the run's time beyond the same run without it`,
      value: formatMs(beyond),
      versus: `the run without it: ${formatMs(ui.offMs)}; with it: ${formatMs(ui.onMs)}; the pass itself (go → last draw): ${formatMs(ui.passMs)}`,
      target: smoke ? '' : '< 5 s beyond the session',
      met: smoke ? undefined : beyond < 5000,
    });
  }

  // 7. Provisioning: a cache hit, and a cold install streamed versus download-then-extract.
  log('provisioning: cache hit');
  const hitMs = await cacheHitMs(N.cacheHits);
  rows.push({
    measure: 'Provision: exact version already in the tool cache → Blender path',
    value: formatMs(hitMs),
    versus: 'no network',
    target: '',
    met: undefined,
  });
  log(`provisioning: cold install (~${N.archiveMb} MB unpacked)`);
  const cold = await coldInstall(N.archiveMb, LINK_MB_PER_SECOND, N.installs);
  rows.push({
    measure: `Provision: cold install of a ${cold.archiveMb.toFixed(0)} MB .tar.xz at ${cold.linkMbPerSecond} MB/s, streamed (hash + unpack while downloading)`,
    value: formatMs(cold.streamedMs),
    versus: `download-then-extract: ${formatMs(cold.sequentialMs)} (${(cold.sequentialMs / cold.streamedMs).toFixed(2)}x)`,
    target: 'faster than download-then-extract',
    met: cold.streamedMs < cold.sequentialMs,
  });

  const table = renderTable(blender.executable);
  process.stdout.write(`${table}\n`);
  if (!smoke) await writeFile(path.join(ROOT, 'bench', 'results.md'), `${table}\n`);
}

function renderTable(executable: string): string {
  const mark = (met: boolean | undefined) => (met === undefined ? '' : met ? '✅' : '❌');
  return [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${executable}; medians unless noted.`,
    '',
    '| measure | value | compared | target | met |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.measure} | ${r.value} | ${r.versus} | ${r.target} | ${mark(r.met)} |`),
  ].join('\n');
}

await main();
