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

/**
 * How to start dist/cli.js on an older Node.js: a real one on PATH when there is one, else this
 * Node made to report 20.1.0 before anything loads (the check reads process.versions.node).
 */
function onOlderNode(): { command: string; args: string[]; version: string } {
  const node = olderNode();
  if (node) return { command: node, args: [], version: execFileSync(node, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '') };
  const reportOld = 'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.1.0"})';
  return { command: process.execPath, args: ['--import', reportOld], version: '20.1.0' };
}

describe('dist/cli.js on an older Node.js', () => {
  it('says it needs a newer one, in one sentence, and exits 2 before loading anything', () => {
    const { command, args, version } = onOlderNode();
    const run = spawnSync(command, [...args, path.join(ROOT, 'dist', 'cli.js'), '--version'], { encoding: 'utf8' });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 2, stdout: '', stderr: `${nodeTooOld(version)}\n` });
  });
});
