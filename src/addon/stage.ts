import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type UserDirs, userDirsIn } from '../blender/invocation.js';
import { BUILT_IN_REPOSITORIES, type InstallingBlender, installExtension } from './extension-install.js';
import { copyAddonFiles } from './files.js';
import type { AddonSource, LegacyAddonSource, StagedAddon } from './staged-addon.js';

/** The run's isolated profile: Blender's user folders, created empty under `profile`. */
export async function createUserDirs(profile: string): Promise<UserDirs> {
  const userDirs = userDirsIn(profile);
  for (const dir of [path.join(userDirs.scripts, 'addons'), userDirs.config, userDirs.extensions]) {
    await mkdir(dir, { recursive: true });
  }
  return userDirs;
}

/**
 * Installs the add-on into the isolated profile, so the runner's own Blender preferences and
 * addons are never read or written: a legacy add-on into scripts/addons, an extension into
 * its extension repository (Blender's own installer where it works).
 */
export async function stageAddon(addon: AddonSource, userDirs: UserDirs, blender: InstallingBlender): Promise<StagedAddon> {
  const source = {
    root: addon.root,
    shownAs: addon.shownAs,
    archive: addon.kind === 'extension' ? addon.archive : addon.kind === 'zip' ? addon.shownAs : undefined,
  };
  if (addon.kind === 'extension') {
    const installed = await installExtension(addon, blender, userDirs);
    const repository = {
      module: addon.repository,
      directory: path.dirname(installed.path),
      builtIn: (BUILT_IN_REPOSITORIES as readonly string[]).includes(addon.repository),
    };
    return {
      module: addon.module,
      kind: addon.kind,
      userDirs,
      installedBy: installed.by,
      path: installed.path,
      source,
      warnings: installed.warnings,
      repository,
    };
  }
  const target = path.join(userDirs.scripts, 'addons', legacyFileName(addon));
  await copyAddonFiles(addon.root, target);
  return {
    module: addon.module,
    kind: addon.kind,
    userDirs,
    installedBy: 'copied into scripts/addons',
    path: target,
    source,
    warnings: [],
    repository: undefined,
  };
}

/**
 * The name the copy gets in scripts/addons: the module's, so Blender finds it under the name
 * it is enabled by (an add-on-module override, or an extension's id before 4.2, included).
 */
export function legacyFileName(addon: LegacyAddonSource): string {
  const isFile = addon.root.endsWith('.py');
  if (!/^[A-Za-z_]\w*$/.test(addon.module)) return path.basename(addon.root);
  return isFile ? `${addon.module}.py` : addon.module;
}
