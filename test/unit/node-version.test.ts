import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NODE_MAJOR_REQUIRED, nodeTooOld } from '../../src/node-version.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('nodeTooOld', () => {
  it('refuses an older Node.js in one sentence naming both versions, and lets the required one and newer run', () => {
    expect(nodeTooOld('20.20.2')).toBe(
      `blender-bg-action needs Node.js ${NODE_MAJOR_REQUIRED} or newer; this is Node.js 20.20.2. Install Node.js ${NODE_MAJOR_REQUIRED} (nvm install ${NODE_MAJOR_REQUIRED}, or actions/setup-node with node-version: ${NODE_MAJOR_REQUIRED}).`,
    );
    expect(nodeTooOld(`${NODE_MAJOR_REQUIRED}.0.0`)).toBeUndefined();
    expect(nodeTooOld(`v${NODE_MAJOR_REQUIRED + 1}.2.3`)).toBeUndefined();
    expect(nodeTooOld('garbage')).toMatch(/^blender-bg-action needs Node\.js/);
  });

  it("says what package.json's engines says", () => {
    const { engines } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(engines.node).toBe(`>=${NODE_MAJOR_REQUIRED}`);
  });
});

/** A Node.js older than the one required, on PATH (Debian's, on this project's CI machines). */
function olderNode(): string | undefined {
  const found = spawnSync('which', ['-a', 'node'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  return found.find((node) => {
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
    return nodeTooOld(version) !== undefined;
  });
}

describe('dist/cli.js on an older Node.js', () => {
  const node = olderNode();
  if (!node && process.env['CI'] !== 'true') {
    it.skip('needs a Node.js older than the required one on PATH (CI has Debian’s)', () => {});
    return;
  }
  it('says it needs a newer one, in one sentence, and exits 2 before loading anything', () => {
    expect(node, `CI=true needs a Node.js older than ${NODE_MAJOR_REQUIRED} on PATH for this test`).toBeDefined();
    const version = execFileSync(node!, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');
    const run = spawnSync(node!, [path.join(ROOT, 'dist', 'cli.js'), '--version'], { encoding: 'utf8' });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 2, stdout: '', stderr: `${nodeTooOld(version)}\n` });
  });
});
