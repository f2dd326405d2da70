import { execa } from 'execa';
import { UserError } from '../errors.js';
import type { Installation } from './installation.js';
import { whatItSaid } from './shared-libraries.js';
import { type Version, parseVersion } from './version.js';

/** "4.3.2" from `blender --version`'s first line ("Blender 4.3.2", "Blender 5.2.2 LTS"). */
export function versionFromBanner(output: string): string | undefined {
  return /^Blender (\d+\.\d+(?:\.\d+)?)/m.exec(output)?.[1];
}

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
  const run = await execa(installation.executable, ['--version'], { reject: false, timeout: 120_000, stdin: 'ignore' });
  const version = versionFromBanner(run.stdout);
  if (run.exitCode !== 0 || version === undefined) {
    throw new UserError(`${installation.executable} --version did not name a Blender version (${whatItSaid(run, 2)}); is it Blender?`);
  }
  return { ...installation, version };
}
