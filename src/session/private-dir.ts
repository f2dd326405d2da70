import { lstat, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';

/**
 * Makes `dir` (mode 0700) or accepts it as it is, if it is ours alone: a real directory (not
 * a symlink), owned by this user, writable by no one else. Its parent must exist already:
 * a missing TMPDIR is a mistake to report, not a path to create (as root, mkdir -p would).
 * `setBy` names where the location came from, for the sentence ("RUNNER_TEMP").
 * Ownership and mode are POSIX ideas; on Windows the user's temp folder is private by ACL.
 */
export async function ensurePrivateDir(dir: string, setBy: string): Promise<void> {
  const parent = path.dirname(dir);
  try {
    await mkdir(dir, { mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new UserError(
        `${parent} does not exist (from ${setBy}), so there is nowhere to put the run directory; create it or point ${setBy} at a folder that exists.`,
      );
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new UserError(`Cannot create ${dir}: this user may not write to ${parent} (${code}, from ${setBy}); point ${setBy} at a folder it can write.`);
    }
    if (code === 'ENOTDIR') throw new UserError(`${parent} is not a directory (from ${setBy}); point ${setBy} at a folder.`);
    if (code !== 'EEXIST') throw error;
  }
  const problem = await whyNotPrivate(dir);
  if (problem) {
    throw new UserError(`${dir} ${problem}, so another user could swap the files of a run; remove it, or point ${setBy} at a folder of your own.`);
  }
}

async function whyNotPrivate(dir: string): Promise<string | undefined> {
  const stats = await lstat(dir);
  if (stats.isSymbolicLink()) return 'is a symbolic link';
  if (!stats.isDirectory()) return 'is not a directory';
  if (process.platform === 'win32' || process.getuid === undefined) return undefined;
  const uid = process.getuid();
  if (stats.uid !== uid) return `belongs to another user (uid ${stats.uid}, we are ${uid})`;
  if ((stats.mode & 0o022) !== 0) return `can be written by other users (mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')})`;
  return undefined;
}
