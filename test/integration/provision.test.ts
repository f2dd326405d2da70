import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { toolCacheDir } from '../../src/blender/cache.js';
import { provisionBlender } from '../../src/blender/provision.js';
import type { Sources } from '../../src/blender/resolve.js';
import { parseRunConfig, requireAddon } from '../../src/inputs/config.js';
import { runPipeline } from '../../src/main.js';
import { describeOnEachBlender } from '../helpers/blender.js';
import { EXAMPLE_ADDON, EXAMPLE_PROBES } from '../helpers/fixture-run.js';
import { type Mirror, startMirror } from '../helpers/mirror.js';
import { freePort } from '../helpers/ports.js';
import { RecordingReporter } from '../helpers/recording-reporter.js';
import { UserError } from '../../src/errors.js';

// Downloads from a local mirror (no internet here) of real archives whose `blender` runs
// the real local Blender, into a fresh tool cache per test.
describeOnEachBlender('provisioning Blender from a mirror', (blender) => {
  let mirror: Mirror;
  let backup: Mirror;
  const log: string[] = [];
  const sources = (): Sources => ({
    releaseMirrors: [mirror.releaseUrl, backup.releaseUrl],
    dailyUrl: mirror.dailyUrl,
    versionsUrl: mirror.versionsUrl,
    retry: { attempts: 3, backoffMs: 5 },
  });
  const warnings: string[] = [];
  const provision = (spec: string, extra: Partial<Sources> = {}, checkLatest = false) =>
    provisionBlender({
      spec,
      sources: { ...sources(), ...extra },
      cache: true,
      checkLatest,
      platform: { os: 'linux', arch: 'x64' },
      log: (line) => log.push(line),
      warn: (line) => warnings.push(line),
    });
  /** Mirrors nobody answers on: a closed port refuses at once. */
  const unreachable = async (): Promise<Partial<Sources>> => ({
    releaseMirrors: [`http://127.0.0.1:${await freePort()}/release`],
    versionsUrl: `http://127.0.0.1:${await freePort()}/versions.json`,
  });

  beforeAll(async () => {
    [mirror, backup] = await Promise.all([startMirror({ blender: blender.executable }), startMirror({ blender: blender.executable })]);
  });
  afterAll(async () => Promise.all([mirror.close(), backup.close()]));
  beforeEach(async () => {
    process.env['RUNNER_TOOL_CACHE'] = await mkdtemp(path.join(os.tmpdir(), 'bg-toolcache-'));
    mirror.requests.length = 0;
    backup.requests.length = 0;
    mirror.faults.clear();
    backup.faults.clear();
    log.length = 0;
    warnings.length = 0;
  });

  it('downloads, verifies, unpacks into the tool cache; the second time is a cache hit with no network at all', async () => {
    const first = await provision('4.2.3');
    expect(first).toMatchObject({ version: '4.2.3', cacheHit: false });
    expect(first.executable).toBe(path.join(toolCacheDir('4.2.3', { os: 'linux', arch: 'x64' }), 'blender-4.2.3-linux-x64', 'blender'));
    expect((await execa(first.executable, ['--version'])).stdout).toMatch(/^Blender \d/);
    expect(existsSync(`${toolCacheDir('4.2.3', { os: 'linux', arch: 'x64' })}.complete`)).toBe(true);
    expect(mirror.requests).toEqual(['/release/Blender4.2/', '/release/Blender4.2/blender-4.2.3.sha256', '/release/Blender4.2/blender-4.2.3-linux-x64.tar.xz']);

    mirror.requests.length = 0;
    const second = await provision('4.2.3');
    expect(second).toEqual({ ...first, cacheHit: true });
    expect(mirror.requests).toEqual([]);
    expect(backup.requests).toEqual([]);
  });

  it('a series resolves online; then a cached match serves it without the network, unless check-latest', async () => {
    await provision('4.2');
    mirror.requests.length = 0;
    expect(await provision('4.2')).toMatchObject({ version: '4.2.10', cacheHit: true });
    expect(mirror.requests).toEqual([]);
    expect(log).toContain('Blender 4.2.10 from the cache satisfies 4.2 (check-latest: true would ask for a newer one).');
    expect(await provision('4.2', {}, true)).toMatchObject({ version: '4.2.10', cacheHit: true });
    expect(mirror.requests).toEqual(['/release/Blender4.2/']);
  });

  it('blender.org unreachable and nothing cached: one sentence naming each URL and what it answered, no retries of a refusal', async () => {
    const down = await unreachable();
    const started = performance.now();
    // The second mirror answers: the first one's refusals (listing, checksum, archive) cost one attempt each.
    expect(await provision('4.2', { releaseMirrors: [...down.releaseMirrors!, mirror.releaseUrl] })).toMatchObject({ version: '4.2.10', cacheHit: false });
    expect(performance.now() - started).toBeLessThan(10_000);
    process.env['RUNNER_TOOL_CACHE'] = await mkdtemp(path.join(os.tmpdir(), 'bg-toolcache-')); // nothing cached again
    mirror.requests.length = 0;
    mirror.faults.set('/release/Blender4.2/', Array(3).fill({ status: 503 }));
    const both = (await provision('4.2', { releaseMirrors: [down.releaseMirrors![0]!, mirror.releaseUrl] }).catch((e: unknown) => e)) as UserError;
    expect(both.message).toBe(
      `Blender 4.2 could not be looked up: every mirror failed (${down.releaseMirrors![0]}/Blender4.2/: connection refused; ${mirror.releaseUrl}/Blender4.2/ answered 503).`,
    );
    expect(mirror.requests.filter((r) => r === '/release/Blender4.2/')).toHaveLength(3); // one retry layer: 3 attempts, not 9
    const lts = (await provision('lts', down).catch((e: unknown) => e)) as UserError;
    expect(lts.message).toBe(`Blender lts could not be looked up: ${down.versionsUrl}: connection refused.`);
  });

  it('blender.org unreachable, a cached match: served from the cache with a warning (series, latest, lts)', async () => {
    await provision('4.2');
    await provision('latest');
    const down = await unreachable();
    expect(await provision('4.2', down, true)).toMatchObject({ version: '4.2.10', cacheHit: true });
    expect(warnings[0]).toMatch(
      /^The Blender listings could not be read \(http:\/\/127\.0\.0\.1:\d+\/release\/Blender4\.2\/: connection refused\); using Blender 4\.2\.10 from the cache, which satisfies 4\.2\.$/,
    );
    expect(await provision('latest', down, true)).toMatchObject({ version: '5.0.1', cacheHit: true });
    await expect(provision('lts', down, true)).rejects.toThrow(/^Blender lts could not be looked up/); // never resolved here: nothing known to satisfy it
  });

  it('honours Retry-After on a 503 (instead of its own backoff)', async () => {
    mirror.faults.set('/release/Blender4.2/', [{ status: 503, headers: { 'retry-after': '1' } }]);
    const started = performance.now();
    expect((await provision('4.2.3')).version).toBe('4.2.3');
    expect(performance.now() - started).toBeGreaterThan(900); // the backoff alone is at most 5 ms here
  });

  it('a checksum mismatch deletes the download and goes on to the next mirror', async () => {
    mirror.faults.set('/release/Blender4.2/blender-4.2.3.sha256', ['wrong-hash']);
    const installed = await provision('4.2.3');
    expect(installed.cacheHit).toBe(false);
    expect(backup.requests).toContain('/release/Blender4.2/blender-4.2.3-linux-x64.tar.xz');
  });

  it('a checksum mismatch on every mirror fails in one sentence, and nothing is cached', async () => {
    for (const m of [mirror, backup]) m.faults.set('/release/Blender4.2/blender-4.2.3.sha256', ['wrong-hash']);
    await expect(provision('4.2.3')).rejects.toThrow('Blender 4.2.3 did not match its published SHA-256 (the file was deleted).');
    const dir = toolCacheDir('4.2.3', { os: 'linux', arch: 'x64' });
    expect([existsSync(dir), existsSync(`${dir}.partial`), existsSync(`${dir}.complete`)]).toEqual([false, false, false]);
  });

  it('a corrupted archive (xz fails its own check) is tried again on the same mirror', async () => {
    mirror.faults.set('/release/Blender4.2/blender-4.2.3-linux-x64.tar.xz', ['corrupt']);
    expect((await provision('4.2.3')).cacheHit).toBe(false);
    expect(mirror.requests.filter((r) => r.endsWith('.tar.xz'))).toHaveLength(2);
  });

  it('a truncated download is tried again on the same mirror', async () => {
    mirror.faults.set('/release/Blender4.2/blender-4.2.3-linux-x64.tar.xz', ['truncate']);
    expect((await provision('4.2.3')).cacheHit).toBe(false);
    expect(mirror.requests.filter((r) => r.endsWith('.tar.xz'))).toHaveLength(2);
    expect(log.some((line) => /failed \(.*\); trying again/.test(line))).toBe(true);
    expect(backup.requests).toEqual([]);
  });

  it('500, then 503, then success: retried with backoff', async () => {
    mirror.faults.set('/release/Blender4.2/', [{ status: 500 }, { status: 503 }]);
    expect((await provision('4.2.3')).version).toBe('4.2.3');
    expect(mirror.requests.filter((r) => r === '/release/Blender4.2/')).toHaveLength(3);
  });

  it('403 from the first mirror falls back to the next at once', async () => {
    mirror.faults.set('/release/Blender4.2/', [{ status: 403 }]);
    expect((await provision('4.2.3')).version).toBe('4.2.3');
    expect(mirror.requests.filter((r) => r === '/release/Blender4.2/')).toHaveLength(1); // 403 is not retried
    expect(backup.requests[0]).toBe('/release/Blender4.2/');
  });

  it('when every mirror refuses, the sentence says what each answered', async () => {
    for (const m of [mirror, backup]) m.faults.set('/release/Blender4.2/blender-4.2.3-linux-x64.tar.xz', [{ status: 403 }]);
    await expect(provision('4.2.3')).rejects.toThrow(/^Blender 4\.2\.3 could not be downloaded \(.*answered 403 Forbidden/);
  });

  it('daily builds download by their hash', async () => {
    expect(await provision('daily')).toMatchObject({ version: '5.1.0-daily.6e4e1c1c7c9b', cacheHit: false });
    expect(await provision('daily')).toMatchObject({ cacheHit: true });
  });

  it('a full run of the pipeline on a downloaded Blender (blender-version + BLENDER_BG_RELEASE_URL)', async () => {
    process.env['BLENDER_BG_RELEASE_URL'] = mirror.releaseUrl;
    try {
      const port = String(await freePort());
      const reporter = new RecordingReporter();
      const config = parseRunConfig({ 'blender-version': '4.5', addon: EXAMPLE_ADDON, port, env: [`ECHO_ADDON_PORT=${port}`], probes: [EXAMPLE_PROBES.scene] });
      const outcome = await runPipeline(requireAddon(config), reporter);
      expect(reporter.installation).toMatchObject({ version: '4.5.3', cacheHit: false });
      expect(reporter.installation?.executable).toContain(path.join('blender', '4.5.3', 'x64', 'blender-4.5.3-linux-x64', 'blender'));
      expect(outcome.results.map((r) => r.passed)).toEqual([true, true]);
      expect(outcome.ok).toBe(true);
    } finally {
      delete process.env['BLENDER_BG_RELEASE_URL'];
    }
  });
});

it('a download that takes a while shows its progress: a non-TTY run of the CLI prints a line every 10 % (a throttled mirror)', async () => {
  const throttled = await startMirror({ fillerBytes: 3 * 1024 * 1024, bytesPerSecond: 2 * 1024 * 1024 });
  try {
    const toolCache = await mkdtemp(path.join(os.tmpdir(), 'bg-toolcache-'));
    const cli = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'dist', 'cli.js');
    const args = [cli, '--blender-version', '4.2.3', '--addon', EXAMPLE_ADDON];
    const run = await execa(process.execPath, args, {
      reject: false,
      env: { BLENDER_BG_RELEASE_URL: throttled.releaseUrl, XDG_CACHE_HOME: toolCache, RUNNER_TOOL_CACHE: '' },
    });
    const lines = run.stdout.split('\n').filter((line) => line.startsWith('Downloading and unpacking Blender 4.2.3: received'));
    expect(lines.length, run.stdout).toBeGreaterThanOrEqual(5);
    expect(lines.length).toBeLessThanOrEqual(12);
    expect(lines[0]).toMatch(/^Downloading and unpacking Blender 4\.2\.3: received \d+\.\d of 3\.\d MB \(\d+\.\d%\), \d+\.\d MB\/s, \d+s left$/);
    expect(lines.at(-1)).toMatch(/\(100\.0%\)/);
    expect(run.stdout).not.toContain('\r'); // not a terminal: no line rewritten in place

    const quiet = await execa(process.execPath, [...args, '--quiet'], {
      reject: false,
      env: { BLENDER_BG_RELEASE_URL: throttled.releaseUrl, XDG_CACHE_HOME: await mkdtemp(path.join(os.tmpdir(), 'bg-toolcache-')), RUNNER_TOOL_CACHE: '' },
    });
    expect(quiet.stdout).not.toContain('Downloading and unpacking Blender 4.2.3: received');
    expect(quiet.exitCode).toBe(0);
  } finally {
    await throttled.close();
  }
}, 120_000);
