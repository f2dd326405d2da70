import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mirror, startMirror } from '../helpers/mirror.js';
import { freePort } from '../helpers/ports.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// The matrix mode through the real entries (no Blender needed: nothing is launched).
describe('versions mode: a list of specs → a JSON array for strategy.matrix', () => {
  let mirror: Mirror;
  let env: Record<string, string>;
  beforeAll(async () => {
    mirror = await startMirror();
    env = { BLENDER_BG_RELEASE_URL: mirror.releaseUrl, BLENDER_BG_DAILY_URL: mirror.dailyUrl, BLENDER_BG_VERSIONS_URL: mirror.versionsUrl };
  });
  afterAll(() => mirror.close());

  it('CLI: `blender-bg-action versions` prints the array on stdout', async () => {
    const result = await execa(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'versions', '>=3.6 lts, latest, daily'], { env, reject: false });
    expect(result.stdout).toBe('["5.0.1","4.5.3","4.2.10","3.6.23","daily"]');
    expect(result.exitCode).toBe(0);
  });

  it('action: mode: versions sets the `versions` output, and needs no add-on', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-versions-'));
    const output = path.join(dir, 'output');
    await writeFile(output, '');
    const result = await execa(process.execPath, [path.join(ROOT, 'dist', 'index.js')], {
      env: { ...env, GITHUB_OUTPUT: output, RUNNER_TEMP: dir, INPUT_MODE: 'versions', INPUT_VERSIONS: '4.2\nlts' },
      reject: false,
    });
    expect(result.exitCode).toBe(0);
    expect(await readFile(output, 'utf8')).toMatch(/^versions<<(\S+)\n\["4\.5\.3","4\.2\.10"\]\n\1$/m);
  });

  it('blender.org unreachable: one sentence naming the URL and what it answered, no stack trace', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const result = await execa(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'versions', '4.2'], {
      env: { ...env, BLENDER_BG_RELEASE_URL: `${closed}/release` },
      reject: false,
    });
    expect(result.stdout).toContain(`Failed: Input 'versions' could not be resolved: ${closed}/release/Blender4.2/: connection refused.`);
    expect(result.stdout + result.stderr).not.toMatch(/TypeError|^\s+at /m);
    expect(result.exitCode).toBe(1);
  });

  it('a bad spec in the list fails in one sentence', async () => {
    const result = await execa(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'versions', '4.2, soon'], { env, reject: false });
    expect(result.stdout).toContain("Failed: Input 'versions': 'soon' is not a Blender version spec");
    expect(result.exitCode).toBe(1);
  });
});
