import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { toolCacheDir } from '../../src/blender/cache.js';
import { provisionBlender } from '../../src/blender/provision.js';
import type { Sources } from '../../src/blender/resolve.js';
import { parseRunConfig } from '../../src/config.js';
import { runPipeline } from '../../src/main.js';
import { describeOnEachBlender } from '../helpers/blender.js';
import { EXAMPLE_ADDON, EXAMPLE_PROBES } from '../helpers/fixture-run.js';
import { type Mirror, startMirror } from '../helpers/mirror.js';
import { freePort } from '../helpers/ports.js';
import { RecordingReporter } from '../helpers/recording-reporter.js';

// Downloads from a local mirror (no internet here) of real archives whose `blender` runs
// the real local Blender, into a fresh tool cache per test.
describeOnEachBlender('provisioning Blender from a mirror', (blender) => {
  let mirror: Mirror;
  let backup: Mirror;
  const log: string[] = [];
  const sources = (): Sources => ({ releaseMirrors: [mirror.releaseUrl, backup.releaseUrl], dailyUrl: mirror.dailyUrl, versionsUrl: mirror.versionsUrl, retry: { attempts: 3, backoffMs: 5 } });
  const provision = (spec: string, extra: Partial<Sources> = {}) =>
    provisionBlender({ spec, sources: { ...sources(), ...extra }, cache: true, platform: { os: 'linux', arch: 'x64' }, log: (line) => log.push(line) });

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

  it('a series resolves online, then hits the cache by its exact version', async () => {
    await provision('4.2');
    mirror.requests.length = 0;
    expect(await provision('4.2')).toMatchObject({ version: '4.2.10', cacheHit: true });
    expect(mirror.requests).toEqual(['/release/Blender4.2/']);
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

  it("a full run of the pipeline on a downloaded Blender (blender-version + BLENDER_BG_RELEASE_URL)", async () => {
    process.env['BLENDER_BG_RELEASE_URL'] = mirror.releaseUrl;
    try {
      const port = String(await freePort());
      const reporter = new RecordingReporter();
      const config = parseRunConfig({ 'blender-version': '4.5', addon: EXAMPLE_ADDON, port, env: [`ECHO_ADDON_PORT=${port}`], probes: [EXAMPLE_PROBES.scene] });
      const outcome = await runPipeline(config, reporter);
      expect(reporter.installation).toMatchObject({ version: '4.5.3', cacheHit: false });
      expect(reporter.installation?.executable).toContain(path.join('blender', '4.5.3', 'x64', 'blender-4.5.3-linux-x64', 'blender'));
      expect(outcome.results.map((r) => r.passed)).toEqual([true, true]);
      expect(outcome.ok).toBe(true);
    } finally {
      delete process.env['BLENDER_BG_RELEASE_URL'];
    }
  });
});
