import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';

/** How a .blend starts: plain, or compressed with gzip (before 3.0) or zstd (3.0+). */
const MAGIC = [Buffer.from('BLENDER'), Buffer.from([0x1f, 0x8b]), Buffer.from([0x28, 0xb5, 0x2f, 0xfd])];

/**
 * The blend-file input, checked before anything starts: it exists, is named like a .blend,
 * and begins as one (a Git LFS pointer checked out without LFS is the usual impostor).
 * Returns the absolute path Blender opens.
 */
export async function checkBlendFile(file: string, cwd = process.cwd()): Promise<string> {
  const absolute = path.resolve(cwd, file);
  const info = await stat(absolute).catch(() => undefined);
  const named = `Input 'blend-file': ${file}`;
  if (!info) throw new UserError(`${named} does not exist (relative to ${cwd}).`);
  if (!info.isFile()) throw new UserError(`${named} is not a file.`);
  if (!/\.blend\d*$/i.test(absolute)) throw new UserError(`${named} is not a .blend file (Blender opens .blend files only).`);
  const head = Buffer.alloc(64);
  const handle = await open(absolute, 'r');
  const { bytesRead } = await handle.read(head, 0, head.length, 0).finally(() => handle.close());
  const start = head.subarray(0, bytesRead);
  if (start.toString('latin1').startsWith('version https://git-lfs')) {
    throw new UserError(`${named} is a Git LFS pointer, not the .blend itself: check it out with LFS (actions/checkout with lfs: true).`);
  }
  if (!MAGIC.some((magic) => start.subarray(0, magic.length).equals(magic))) {
    throw new UserError(`${named} does not begin as a .blend file does (BLENDER, or gzip/zstd compressed), so Blender would not open it.`);
  }
  return absolute;
}
