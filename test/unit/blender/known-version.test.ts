import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { askBlender, versionFromBanner } from '../../../src/blender/banner.js';
import { numericVersion, withKnownVersion } from '../../../src/blender/known-version.js';

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

describe('askBlender', () => {
  it('asks a Blender once while its file is the same, and again once it is replaced', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-banner-'));
    const fake = path.join(dir, 'blender');
    const count = path.join(dir, 'count');
    // Each start appends a line: how many times it was asked.
    await writeFile(fake, `#!/bin/sh\necho x >> ${count}\necho "Blender 4.3.2"\n`);
    await chmod(fake, 0o755);
    expect((await askBlender(fake)).version).toBe('4.3.2');
    expect((await askBlender(fake)).version).toBe('4.3.2');
    expect((await readFile(count, 'utf8')).split('\n').filter(Boolean)).toHaveLength(1);
    await writeFile(fake, `#!/bin/sh\necho x >> ${count}\necho "Blender 5.2.2 LTS"\n`);
    expect((await askBlender(fake)).version).toBe('5.2.2');
    expect((await readFile(count, 'utf8')).split('\n').filter(Boolean)).toHaveLength(2);
  });
});
