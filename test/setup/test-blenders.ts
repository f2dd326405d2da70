import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { versionFromBanner } from '../../src/blender/banner.js';

/**
 * Finds the Blenders the integration tests run on, once per test run, and hands the list to
 * every test file (inject('testBlenders')).
 *
 * BLENDER_BG_TEST_BLENDERS (executables, one per line) names them; .ci/run sets it to the
 * local Blender plus what scripts/test-blenders built. Without it: `blender` on PATH plus
 * whatever scripts/test-blenders has already built. Under CI=true nothing may be missing:
 * an unset list, or a listed Blender that does not run, fails the whole run here.
 */
export interface TestBlender {
  /** "3.4.1": what `--version` said */
  version: string;
  executable: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    testBlenders: TestBlender[];
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD_SCRIPT = path.join(ROOT, 'scripts', 'test-blenders');
const HOW_TO_GET_MORE = 'sudo scripts/test-blenders build adds Debian trixie’s 4.3 and sid’s 5.2 (CONTRIBUTING.md: "Testing on several Blenders")';

function versionOf(executable: string): string | undefined {
  try {
    const output = execFileSync(executable, ['--version'], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] });
    return versionFromBanner(output);
  } catch {
    return undefined;
  }
}

function builtTestBlenders(): string[] {
  try {
    return execFileSync(BUILD_SCRIPT, ['list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

export default function setup(project: TestProject): void {
  const listed = process.env['BLENDER_BG_TEST_BLENDERS'];
  const ci = process.env['CI'] === 'true';
  if (ci && !listed) {
    throw new Error('CI=true runs the integration tests on every test Blender: set BLENDER_BG_TEST_BLENDERS (one executable per line; .ci/run does).');
  }
  const executables = listed
    ? listed
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
    : ['blender', ...builtTestBlenders()];
  const blenders: TestBlender[] = [];
  for (const executable of executables) {
    const version = versionOf(executable);
    if (version) blenders.push({ version, executable });
    else if (listed) throw new Error(`BLENDER_BG_TEST_BLENDERS lists ${executable}, which does not run (\`${executable} --version\` failed).`);
  }
  const versions = blenders.map((b) => b.version).join(', ');
  if (blenders.length === 0) {
    console.log(`Integration tests skipped: no Blender here (apt-get install blender; ${HOW_TO_GET_MORE}).`);
  } else if (!listed && blenders.length < 3) {
    console.log(`Integration tests run on Blender ${versions} only: ${HOW_TO_GET_MORE}.`);
  } else {
    console.log(`Integration tests run on Blender ${versions}.`);
  }
  project.provide('testBlenders', blenders);
}
