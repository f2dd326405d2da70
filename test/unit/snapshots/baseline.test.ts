import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineCandidates, defaultUpdateSnapshots, snapshotVerdict } from '../../../src/snapshots/baseline.js';

describe('baselineCandidates', () => {
  it("the Blender series' folder first, relative to the probe file", () => {
    expect(baselineCandidates('/repo/tests/probes/look.json', 'snapshots/cube.png', '4.2.3')).toEqual([
      '/repo/tests/probes/snapshots/4.2/cube.png',
      '/repo/tests/probes/snapshots/cube.png',
    ]);
    expect(baselineCandidates('/repo/p.json', '../img/cube.png', '5.2.2 LTS')).toEqual([path.resolve('/img/5.2/cube.png'), path.resolve('/img/cube.png')]);
    expect(baselineCandidates('/repo/p.json', 'cube.png', undefined)).toEqual(['/repo/cube.png']);
  });
});

describe('snapshotVerdict', () => {
  it('none (CI): only a match passes', () => {
    expect([snapshotVerdict(false, false, 'none'), snapshotVerdict(true, true, 'none'), snapshotVerdict(true, false, 'none')]).toEqual([
      'fail-missing',
      'pass',
      'fail-differs',
    ]);
  });

  it('missing writes new images only; changed also those that differ; all every one', () => {
    expect([snapshotVerdict(false, false, 'missing'), snapshotVerdict(true, true, 'missing'), snapshotVerdict(true, false, 'missing')]).toEqual([
      'write',
      'pass',
      'fail-differs',
    ]);
    expect([snapshotVerdict(false, false, 'changed'), snapshotVerdict(true, true, 'changed'), snapshotVerdict(true, false, 'changed')]).toEqual([
      'write',
      'pass',
      'write',
    ]);
    expect([snapshotVerdict(false, false, 'all'), snapshotVerdict(true, true, 'all'), snapshotVerdict(true, false, 'all')]).toEqual([
      'write',
      'write',
      'write',
    ]);
  });

  it('the default: missing locally, none under CI=true', () => {
    expect(defaultUpdateSnapshots({})).toBe('missing');
    expect(defaultUpdateSnapshots({ CI: 'true' })).toBe('none');
  });
});
