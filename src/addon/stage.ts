import { cp, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { extractZip } from './zip.js';
import type { AddonKind, StagedAddon, UserDirs } from './staged-addon.js';

const SKIPPED = new Set(['__pycache__', '.git', '.hg', '.svn', 'node_modules', '.venv']);

/**
 * Installs the addon into an isolated profile under `profileDir`, so the runner's own
 * Blender preferences and addons are never read or written.
 */
export async function stageAddon(addonPath: string, moduleOverride: string | undefined, profileDir: string): Promise<StagedAddon> {
  const source = path.resolve(addonPath);
  const info = await stat(source).catch(() => undefined);
  if (!info) throw new UserError(`Input 'addon': ${addonPath} does not exist.`);

  const userDirs = await createUserDirs(profileDir);
  const addonsDir = path.join(userDirs.scripts, 'addons');

  let kind: AddonKind;
  let root: string; // the folder or .py file to copy into scripts/addons
  if (info.isDirectory()) {
    kind = 'package';
    root = source;
    await requirePackage(source, addonPath);
  } else if (source.endsWith('.py')) {
    kind = 'file';
    root = source;
  } else if (source.endsWith('.zip')) {
    kind = 'zip';
    root = await addonInZip(await extractZip(source, path.join(profileDir, 'unzipped')), addonPath);
  } else {
    throw new UserError(`Input 'addon': ${addonPath} is not a folder, a .py file or a .zip.`);
  }

  const name = path.basename(root, '.py');
  await cp(root, path.join(addonsDir, path.basename(root)), {
    recursive: true,
    filter: (file) => !SKIPPED.has(path.basename(file)),
  });
  return { module: moduleOverride ?? name, kind, source, userDirs };
}

async function createUserDirs(profileDir: string): Promise<UserDirs> {
  const userDirs: UserDirs = {
    resources: profileDir,
    scripts: path.join(profileDir, 'scripts'),
    config: path.join(profileDir, 'config'),
    extensions: path.join(profileDir, 'extensions'),
  };
  for (const dir of [path.join(userDirs.scripts, 'addons'), userDirs.config, userDirs.extensions]) {
    await mkdir(dir, { recursive: true });
  }
  return userDirs;
}

async function requirePackage(folder: string, shownAs: string): Promise<void> {
  const entries = await readdir(folder);
  if (entries.includes('__init__.py')) return;
  const hint = entries.includes('blender_manifest.toml')
    ? ' (Blender 4.2+ extensions still need the __init__.py that holds register())'
    : '';
  throw new UserError(`Input 'addon': ${shownAs} is a folder without __init__.py, so it is not a Python package${hint}.`);
}

/** A zipped addon holds one package folder or one .py file at its top (GitHub's "Download ZIP" shape). */
async function addonInZip(unzipped: string, shownAs: string): Promise<string> {
  const entries = (await readdir(unzipped, { withFileTypes: true })).filter((e) => !SKIPPED.has(e.name) && e.name !== '__MACOSX');
  const packages = [];
  for (const entry of entries) {
    if (entry.isDirectory()) {
      const inside = await readdir(path.join(unzipped, entry.name));
      if (inside.includes('__init__.py')) packages.push(path.join(unzipped, entry.name));
    }
  }
  if (entries.some((e) => e.name === '__init__.py')) {
    throw new UserError(`Input 'addon': ${shownAs} has __init__.py at its top; zip the addon's folder, not its contents.`);
  }
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.py')).map((e) => path.join(unzipped, e.name));
  const candidates = [...packages, ...files];
  if (candidates.length !== 1) {
    throw new UserError(
      `Input 'addon': ${shownAs} must hold exactly one addon (a package folder or a .py file) at its top, found ${candidates.length}.`,
    );
  }
  return candidates[0]!;
}
