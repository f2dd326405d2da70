import { execa } from 'execa';
import { UserError } from '../errors.js';
import { askBlender, whatItSaid } from './banner.js';

/** Debian/Ubuntu packages for the libraries a bare runner most often lacks. */
const APT_PACKAGES: Record<string, string> = {
  'libX11.so.6': 'libx11-6',
  'libX11-xcb.so.1': 'libx11-xcb1',
  'libXrender.so.1': 'libxrender1',
  'libXi.so.6': 'libxi6',
  'libXxf86vm.so.1': 'libxxf86vm1',
  'libXfixes.so.3': 'libxfixes3',
  'libXext.so.6': 'libxext6',
  'libXkbcommon.so.0': 'libxkbcommon0',
  'libxkbcommon.so.0': 'libxkbcommon0',
  'libSM.so.6': 'libsm6',
  'libICE.so.6': 'libice6',
  'libGL.so.1': 'libgl1',
  'libEGL.so.1': 'libegl1',
  'libGLU.so.1': 'libglu1-mesa',
  'libwayland-client.so.0': 'libwayland-client0',
  'libdecor-0.so.0': 'libdecor-0-0',
  'libgomp.so.1': 'libgomp1',
};

/** The libraries `ldd` says are missing ("libXi.so.6 => not found"). */
export function missingLibraries(lddOutput: string): string[] {
  return [...new Set([...lddOutput.matchAll(/^\s*(\S+)\s+=>\s+not found/gm)].map((m) => m[1]!))];
}

/** "install them with: sudo apt-get install -y libxi6 libxrender1" (or the names, when unknown). */
export function installAdvice(libraries: string[]): string {
  const packages = [...new Set(libraries.map((lib) => APT_PACKAGES[lib]).filter((p): p is string => p !== undefined))];
  const unknown = libraries.filter((lib) => APT_PACKAGES[lib] === undefined);
  const apt = packages.length > 0 ? `install them with: sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}` : '';
  const rest = unknown.length > 0 ? `find the package${unknown.length > 1 ? 's' : ''} for ${unknown.join(', ')}` : '';
  return [apt, rest].filter(Boolean).join('; and ');
}

/**
 * Asks a Blender just installed for its version (askBlender: the run asks no more). A bare
 * Linux runner may lack libraries Blender links against: then say which, and the apt command
 * that installs them, with ldd's list beside it.
 */
export async function checkBlenderRuns(executable: string, label: string): Promise<void> {
  const run = await askBlender(executable);
  if (run.exitCode === 0) return;
  if (process.platform === 'linux') {
    const ldd = await execa('ldd', [executable], { reject: false, stdin: 'ignore' });
    const missing = missingLibraries(`${ldd.stdout}\n${run.stderr}`);
    if (missing.length > 0) {
      throw new UserError(
        `Blender ${label} cannot start: this machine lacks the shared librar${missing.length > 1 ? 'ies' : 'y'} ${missing.join(', ')}; ${installAdvice(missing)}.`,
        `ldd ${executable}:\n${ldd.stdout}`,
      );
    }
  }
  throw new UserError(`Blender ${label} was installed but 'blender --version' failed: ${whatItSaid(run, 3)}.`);
}
