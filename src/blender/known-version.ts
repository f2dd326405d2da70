import { UserError } from '../errors.js';
import { askBlender, whatItSaid } from './banner.js';
import type { Installation } from './installation.js';
import { type Version, parseVersion } from './version.js';

/** The numeric part of an installation's version: 4.5.3 for "4.5.3", 5.1.0 for "5.1.0-daily.6e4e1c". */
export function numericVersion(installation: Installation): Version | undefined {
  const leading = installation.version ? /^\d+\.\d+(?:\.\d+)?/.exec(installation.version)?.[0] : undefined;
  return leading ? parseVersion(leading) : undefined;
}

/**
 * The installation with its version known. A downloaded Blender knows it already; a local
 * one is asked (`blender --version`, a fraction of a second), only when a decision needs it.
 */
export async function withKnownVersion(installation: Installation): Promise<Installation & { version: string }> {
  if (installation.version !== undefined && numericVersion(installation)) return { ...installation, version: installation.version };
  const run = await askBlender(installation.executable);
  const { version } = run;
  if (run.exitCode !== 0 || version === undefined) {
    throw new UserError(`${installation.executable} --version did not name a Blender version (${whatItSaid(run, 2)}); is it Blender?`);
  }
  return { ...installation, version };
}
