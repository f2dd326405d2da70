import { describe, expect, inject, it } from 'vitest';
import { type Version, compareVersions, parseVersion } from '../../src/blender/version.js';
import type { TestBlender } from '../setup/test-blenders.js';

export type { TestBlender };

/** The Blenders this run tests on (test/setup/test-blenders.ts found them). */
export const TEST_BLENDERS: TestBlender[] = inject('testBlenders');

export function versionOf(blender: TestBlender): Version {
  return parseVersion(blender.version)!;
}

/** Test Blenders from `min` on (and below `below`): e.g. those that know 4.2+ extensions. */
export function testBlenders(range: { min?: string; below?: string } = {}): TestBlender[] {
  return TEST_BLENDERS.filter((blender) => {
    const version = versionOf(blender);
    if (range.min && compareVersions(version, parseVersion(range.min)!) < 0) return false;
    if (range.below && compareVersions(version, parseVersion(range.below)!) >= 0) return false;
    return true;
  });
}

/**
 * One describe block per test Blender, titled "… on Blender 4.3.2". With none in range: on a
 * developer's machine the block is skipped (the setup said why, in one line); under CI=true
 * it fails, because CI never skips.
 */
export function describeOnEachBlender(title: string, body: (blender: TestBlender) => void, blenders: TestBlender[] = TEST_BLENDERS): void {
  if (blenders.length === 0) {
    const ci = process.env['CI'] === 'true';
    describe.skipIf(!ci)(`${title} (no test Blender of that range here)`, () => {
      it('has a test Blender to run on', () => {
        expect.fail(`no test Blender in range for "${title}"; BLENDER_BG_TEST_BLENDERS lists ${TEST_BLENDERS.map((b) => b.version).join(', ') || 'none'}`);
      });
    });
    return;
  }
  for (const blender of blenders) describe(`${title}, on Blender ${blender.version}`, () => body(blender));
}
