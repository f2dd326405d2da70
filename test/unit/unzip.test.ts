import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unzip } from '../../src/unzip.js';

describe('unzip', () => {
  it('unpacks every file of a zip into a folder it makes, over what is there', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-unzip-'));
    await mkdir(path.join(dir, 'src', 'pkg'), { recursive: true });
    await writeFile(path.join(dir, 'src', 'pkg', '__init__.py'), 'x = 1\n');
    execFileSync('zip', ['-q', '-r', path.join(dir, 'a.zip'), 'pkg'], { cwd: path.join(dir, 'src') });
    const dest = path.join(dir, 'out', 'deeper');
    await unzip(path.join(dir, 'a.zip'), dest);
    await unzip(path.join(dir, 'a.zip'), dest); // again: overwritten, not asked about
    expect(await readFile(path.join(dest, 'pkg', '__init__.py'), 'utf8')).toBe('x = 1\n');
  });

  it('a file that is not a zip throws with unzip’s own words', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-unzip-'));
    await writeFile(path.join(dir, 'not.zip'), 'hello');
    await expect(unzip(path.join(dir, 'not.zip'), path.join(dir, 'out'))).rejects.toThrow(/zip/i);
  });
});
