import { UserError, errorMessage } from '../errors.js';
import { unzip } from '../unzip.js';

/** Unpacks an add-on .zip into `dest`; returns `dest`. */
export async function extractZip(zipFile: string, dest: string): Promise<string> {
  try {
    await unzip(zipFile, dest);
    return dest;
  } catch (error) {
    throw new UserError(`Input 'addon': ${zipFile} could not be unzipped (${errorMessage(error)}).`);
  }
}
