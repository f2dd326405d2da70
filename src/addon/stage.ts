import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { EXTENSION_REPOSITORY, type UserDirs, userDirsIn } from '../blender/invocation.js';
import { type InstallingBlender, installExtension } from './extension-install.js';
import { copyAddonFiles } from './files.js';
import type { AddonSource, StagedAddon } from './staged-addon.js';

/** The run's isolated profile: Blender's user folders, created empty under `profile`. */
export async function createUserDirs(profile: string): Promise<UserDirs> {
  const userDirs = userDirsIn(profile);
  for (const dir of [path.join(userDirs.scripts, 'addons'), userDirs.config, path.join(userDirs.extensions, EXTENSION_REPOSITORY)]) {
    await mkdir(dir, { recursive: true });
  }
  return userDirs;
}

/**
 * Installs the addon into the isolated profile, so the runner's own Blender preferences and
 * addons are never read or written: a legacy addon into scripts/addons, an extension into
 * the `user_default` extension repository (Blender's own installer where it works).
 */
export async function stageAddon(addon: AddonSource, userDirs: UserDirs, blender: InstallingBlender): Promise<StagedAddon> {
  if (addon.kind === 'extension') {
    const installedBy = await installExtension(addon, blender, userDirs);
    return { module: addon.module, kind: addon.kind, userDirs, installedBy };
  }
  await copyAddonFiles(addon.root, path.join(userDirs.scripts, 'addons', path.basename(addon.root)));
  return { module: addon.module, kind: addon.kind, userDirs, installedBy: 'copied into scripts/addons' };
}
