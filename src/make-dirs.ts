import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Makes a folder and its missing parents, one level at a time. Node's recursive mkdir never
 * returns for a path under /proc (it gets ENOENT there and EEXIST for the parent, and tries
 * again forever at full CPU): here each level is made once, and the first that cannot be made
 * throws its own error. A part of the path that is a file throws ENOTDIR.
 */
export async function makeDirs(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = path.resolve(dir);
  for (;;) {
    try {
      if (!(await stat(current)).isDirectory()) throw Object.assign(new Error(`${current} is not a directory`), { code: 'ENOTDIR' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      missing.push(current);
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      // Made by someone else meanwhile: fine if it is a folder now.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !(await stat(folder)).isDirectory()) throw error;
    }
  }
}
