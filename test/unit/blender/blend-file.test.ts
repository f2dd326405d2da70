import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBlendFile } from '../../../src/blender/blend-file.js';

async function file(name: string, bytes: Buffer | string): Promise<{ dir: string; name: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-blend-'));
  await writeFile(path.join(dir, name), bytes);
  return { dir, name };
}

describe('checkBlendFile: the blend-file input, before anything starts', () => {
  it('a .blend as Blender writes it (plain, gzip or zstd) is its absolute path', async () => {
    for (const head of [Buffer.from('BLENDER-v304RENDH'), Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0])]) {
      const { dir, name } = await file('scene.blend', head);
      expect(await checkBlendFile(name, dir)).toBe(path.join(dir, name));
    }
  });

  it.each([
    [
      'missing',
      async () => ({ dir: os.tmpdir(), name: 'nowhere/scene.blend' }),
      /^Input 'blend-file': nowhere\/scene\.blend does not exist \(relative to .+\)\.$/,
    ],
    [
      'a folder',
      async () => {
        const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-blend-'));
        await mkdir(path.join(dir, 'x.blend'));
        return { dir, name: 'x.blend' };
      },
      /^Input 'blend-file': x\.blend is not a file\.$/,
    ],
    ['named otherwise', () => file('scene.obj', 'BLENDER'), /^Input 'blend-file': scene\.obj is not a \.blend file \(Blender opens \.blend files only\)\.$/],
    [
      'a Git LFS pointer',
      () => file('scene.blend', 'version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n'),
      /^Input 'blend-file': scene\.blend is a Git LFS pointer, not the \.blend itself: check it out with LFS \(actions\/checkout with lfs: true\)\.$/,
    ],
    ['something else', () => file('scene.blend', 'hello'), /^Input 'blend-file': scene\.blend does not begin as a \.blend file does/],
  ])('%s: one sentence', async (_what, make, sentence) => {
    const { dir, name } = await make();
    await expect(checkBlendFile(name, dir)).rejects.toThrow(sentence);
  });
});
