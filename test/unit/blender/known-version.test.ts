import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { numericVersion, versionFromBanner, withKnownVersion } from '../../../src/blender/known-version.js';

describe('the Blender version, known before launch', () => {
  it('reads `blender --version` banners of every era', () => {
    expect(versionFromBanner('Blender 3.4.1\n\tbuild date: 2023-03-12\n')).toBe('3.4.1');
    expect(versionFromBanner('Blender 5.2.2 LTS\n')).toBe('5.2.2');
    expect(versionFromBanner('Read prefs: ...\nBlender 4.5.4 Alpha\n')).toBe('4.5.4');
    expect(versionFromBanner('Color management: ...\n')).toBeUndefined();
  });

  it('takes the numbers of a download’s version, daily builds included', () => {
    expect(numericVersion({ version: '4.5.3', executable: 'b', cacheHit: false })).toEqual([4, 5, 3]);
    expect(numericVersion({ version: '5.1.0-daily.6e4e1c1c7c9b', executable: 'b', cacheHit: false })).toEqual([5, 1, 0]);
    expect(numericVersion({ version: undefined, executable: 'b', cacheHit: false })).toBeUndefined();
  });

  it('asks a local Blender (a real program here), and says so in one sentence when it is not Blender', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-version-'));
    const fake = path.join(dir, 'blender');
    await writeFile(fake, '#!/bin/sh\necho "Blender 4.3.2"\n');
    await chmod(fake, 0o755);
    expect(await withKnownVersion({ version: undefined, executable: fake, cacheHit: false })).toMatchObject({ version: '4.3.2' });

    await writeFile(fake, '#!/bin/sh\necho "not a blender" >&2\nexit 3\n');
    await expect(withKnownVersion({ version: undefined, executable: fake, cacheHit: false })).rejects.toThrow(
      `${fake} --version did not name a Blender version (not a blender); is it Blender?`,
    );
  });
});
