import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FolderWatch, outermost, watchFolders } from '../../../src/watch/watcher.js';

describe('watchFolders', () => {
  let root: string;
  let watch: FolderWatch | undefined;
  let bursts: string[][];
  let next: (() => void) | undefined;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'watcher-'));
    await mkdir(path.join(root, 'addon'));
    await writeFile(path.join(root, 'addon', '__init__.py'), 'x = 0\n');
    bursts = [];
    watch = watchFolders([path.join(root, 'addon')], (files) => {
      bursts.push(files.map((f) => path.relative(root, f)).sort());
      next?.();
    });
    await watch.ready;
  });
  afterEach(async () => {
    await watch?.close();
    await rm(root, { recursive: true, force: true });
  });

  /** Runs `save` and waits for the burst it makes (fails the test after 3 s of silence). */
  async function burstOf(save: () => Promise<void>): Promise<string[]> {
    const seen = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no burst within 3 s: the watch went deaf')), 3000);
      next = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    // Saves a person makes are further apart than a burst's quiet time (and chokidar's throttle of
    // one file's change events, 50 ms).
    await new Promise((resolve) => setTimeout(resolve, 100));
    await save();
    await seen;
    return bursts.at(-1)!;
  }

  const file = () => path.join(root, 'addon', '__init__.py');
  const saveInPlace = (text: string) => () => writeFile(file(), text);
  // What vim's backupcopy=no, sed -i and JetBrains' safe write do: a new file renamed over the old.
  const saveByRename = (text: string) => async () => {
    await writeFile(`${file()}.new`, text);
    await rename(`${file()}.new`, file());
  };

  it('hears every save of a file, in place and by rename, in any order', async () => {
    expect(await burstOf(saveInPlace('x = 1\n'))).toContain('addon/__init__.py');
    expect(await burstOf(saveByRename('x = 2\n'))).toContain('addon/__init__.py');
    // The save after a rename was the one fs.watch never reported.
    expect(await burstOf(saveInPlace('x = 3\n'))).toContain('addon/__init__.py');
    expect(await burstOf(saveByRename('x = 4\n'))).toContain('addon/__init__.py');
    expect(await burstOf(saveByRename('x = 5\n'))).toContain('addon/__init__.py');
  });

  it('hears a new file, a deleted file, and a file in a folder created after the start', async () => {
    expect(await burstOf(() => writeFile(path.join(root, 'addon', 'ops.py'), ''))).toEqual(['addon/ops.py']);
    expect(await burstOf(() => rm(path.join(root, 'addon', 'ops.py')))).toEqual(['addon/ops.py']);
    const created = async () => {
      await mkdir(path.join(root, 'addon', 'panels'));
      await writeFile(path.join(root, 'addon', 'panels', 'main.py'), '');
    };
    expect(await burstOf(created)).toContain('addon/panels/main.py');
    expect(await burstOf(() => writeFile(path.join(root, 'addon', 'panels', 'main.py'), 'y = 1\n'))).toEqual(['addon/panels/main.py']);
  });

  it('does not report caches', async () => {
    await mkdir(path.join(root, 'addon', '__pycache__'));
    await writeFile(path.join(root, 'addon', '__pycache__', 'x.pyc'), '');
    expect(await burstOf(saveInPlace('x = 6\n'))).toEqual(['addon/__init__.py']);
    // The cache file was written before the save: a burst of its own would come first, not in the save's.
    expect(bursts.flat().filter((file) => file.includes('__pycache__'))).toEqual([]);
  });
});

describe('outermost', () => {
  it('keeps each folder once and none inside another', () => {
    expect(outermost(['/a/b', '/a', '/a/b/c', '/ab', '/a'])).toEqual(['/a', '/ab']);
  });
});
