import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { which } from '@actions/io';
import { UserError } from '../errors.js';
import type { Installation } from './installation.js';

/**
 * Finds a Blender that is already installed: `blenderPath` is a path (it has a slash) or a
 * command looked up on PATH, the way a shell would.
 */
export async function locateBlender(blenderPath: string): Promise<Installation> {
  const isPath = blenderPath.includes('/') || blenderPath.includes(path.sep);
  const executable = isPath ? path.resolve(blenderPath) : await which(blenderPath, false);
  if (!executable) {
    throw new UserError(`Input 'blender-path': no '${blenderPath}' command on PATH; install Blender or give the path to its executable.`);
  }
  const info = await stat(executable).catch(() => undefined);
  if (!info) throw new UserError(`Input 'blender-path': ${executable} does not exist.`);
  if (!info.isFile()) throw new UserError(`Input 'blender-path': ${executable} is not a file.`);
  if (process.platform !== 'win32') {
    await access(executable, constants.X_OK).catch(() => {
      throw new UserError(`Input 'blender-path': ${executable} is not executable.`);
    });
  }
  return { version: undefined, executable, cacheHit: false };
}
