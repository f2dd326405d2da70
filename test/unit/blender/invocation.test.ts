import { describe, expect, it } from 'vitest';
import { capabilitiesOf } from '../../../src/blender/capabilities.js';
import { blenderEnvironment, onlineAccessFlags, onlineAccessFor, userDirsIn } from '../../../src/blender/invocation.js';
import type { Version } from '../../../src/blender/version.js';

const ERAS: [string, Version | undefined][] = [
  ['2.93.18', [2, 93, 18]],
  ['3.4.1', [3, 4, 1]],
  ['4.1.1', [4, 1, 1]],
  ['4.2.0', [4, 2, 0]],
  ['4.3.2', [4, 3, 2]],
  ['5.2.2', [5, 2, 2]],
  ['not asked', undefined],
];

describe('the version table: what each Blender can do', () => {
  it.each(ERAS)('%s', (_name, version) => {
    const modern = version !== undefined && (version[0] > 4 || (version[0] === 4 && version[1] >= 2));
    expect(capabilitiesOf(version)).toEqual({
      extensions: modern,
      // an unasked version gets every variable: older Blenders ignore what they do not know
      userResourceVariables: modern || version === undefined,
      onlineAccess: modern,
      commands: modern,
    });
  });
});

describe('the environment and flags per version', () => {
  const userDirs = userDirsIn('/run/profile');
  const environment = (version: Version | undefined) =>
    blenderEnvironment({ capabilities: capabilitiesOf(version), userDirs, runId: 'r1', tmpDir: '/run/tmp', extra: { MY_PORT: '6688', TMPDIR: 'overridden' } });

  it('every version: isolated scripts and config, the run id, TMPDIR in the run, unbuffered Python', () => {
    for (const [, version] of ERAS) {
      expect(environment(version)).toMatchObject({
        MY_PORT: '6688',
        BLENDER_BG_RUN_ID: 'r1',
        TMPDIR: '/run/tmp',
        BLENDER_USER_SCRIPTS: '/run/profile/scripts',
        BLENDER_USER_CONFIG: '/run/profile/config',
        PYTHONUNBUFFERED: '1',
      });
    }
  });

  it('4.2+ (and an unasked version): the resources and extensions folders too', () => {
    expect(environment([4, 2, 0])).toMatchObject({ BLENDER_USER_RESOURCES: '/run/profile', BLENDER_USER_EXTENSIONS: '/run/profile/extensions' });
    expect(environment(undefined)).toHaveProperty('BLENDER_USER_EXTENSIONS');
    expect(environment([4, 1, 1])).not.toHaveProperty('BLENDER_USER_EXTENSIONS');
    expect(environment([3, 4, 1])).not.toHaveProperty('BLENDER_USER_RESOURCES');
  });

  it('online access: auto follows the manifest, true/false force it; flags only where the version has them', () => {
    expect([onlineAccessFor('auto', false), onlineAccessFor('auto', true), onlineAccessFor('on', false), onlineAccessFor('off', true)]).toEqual([
      undefined,
      true,
      true,
      false,
    ]);
    expect(onlineAccessFlags(capabilitiesOf([4, 2, 0]), true)).toEqual(['--online-mode']);
    expect(onlineAccessFlags(capabilitiesOf([5, 2, 2]), false)).toEqual(['--offline-mode']);
    expect(onlineAccessFlags(capabilitiesOf([5, 2, 2]), undefined)).toEqual([]);
    // Blender 3.4 would read --online-mode as a file to open.
    expect(onlineAccessFlags(capabilitiesOf([3, 4, 1]), true)).toEqual([]);
    expect(onlineAccessFlags(capabilitiesOf(undefined), true)).toEqual([]);
  });
});
