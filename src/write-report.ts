import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from './errors.js';
import { makeDirs } from './make-dirs.js';

/**
 * Writes a report file, making its folder; a path that cannot be written (a folder that is a
 * file, no permission, a directory, /proc) is one sentence naming the input, the path and why.
 */
export async function writeReport(file: string, input: string, text: string): Promise<string | undefined> {
  try {
    await makeDirs(path.dirname(path.resolve(file)));
    await writeFile(file, text);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = REASONS[code ?? ''] ?? errorMessage(error);
    return `Input '${input}': ${file} could not be written (${why}).`;
  }
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of its path is a file, not a folder',
  EEXIST: 'a part of its path is a file, not a folder',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  ENOENT: 'its folder does not exist and could not be made',
};
