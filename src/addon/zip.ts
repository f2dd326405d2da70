import { mkdir } from 'node:fs/promises';
import { extractZip as extractWithToolCache } from '@actions/tool-cache';
import { UserError, errorMessage } from '../errors.js';

/** Unpacks an add-on .zip into `dest` (tool-cache: unzip on POSIX, PowerShell on Windows). */
export async function extractZip(zipFile: string, dest: string): Promise<string> {
  await mkdir(dest, { recursive: true });
  try {
    return await extractWithToolCache(zipFile, dest);
  } catch (error) {
    throw new UserError(`Input 'addon': ${zipFile} could not be unzipped (${errorMessage(error)}).`);
  }
}
