import path from 'node:path';
import type { Capabilities } from './capabilities.js';

/** Every process of a run carries this in its environment: the leftover scan looks for it. */
export const RUN_ID_VARIABLE = 'BLENDER_BG_RUN_ID';

/** Blender's per-user folders, pointed into the run's own temp dir (never the runner's profile). */
export interface UserDirs {
  /** BLENDER_USER_RESOURCES (4.2+): the root the others default to. */
  resources: string;
  scripts: string;
  config: string;
  /** BLENDER_USER_EXTENSIONS (4.2+): holds the `user_default` extension repository. */
  extensions: string;
}

export function userDirsIn(profile: string): UserDirs {
  return {
    resources: profile,
    scripts: path.join(profile, 'scripts'),
    config: path.join(profile, 'config'),
    extensions: path.join(profile, 'extensions'),
  };
}

/**
 * The repository extensions are installed into unless the extension-repository input names
 * another; Blender imports them as bl_ext.<repository>.<id>.
 */
export const DEFAULT_EXTENSION_REPOSITORY = 'user_default';

export interface BlenderEnvironmentOptions {
  capabilities: Capabilities;
  userDirs: UserDirs;
  runId: string;
  /** Blender's TMPDIR: its /tmp/blender_XXXX folders land in the run's dir */
  tmpDir: string;
  /** the `env` input */
  extra: Record<string, string>;
}

/** The environment of every Blender process of a run (the session and Blender's installer). */
export function blenderEnvironment(options: BlenderEnvironmentOptions): Record<string, string> {
  const { userDirs, capabilities } = options;
  return {
    ...options.extra,
    [RUN_ID_VARIABLE]: options.runId,
    TMPDIR: options.tmpDir,
    TEMP: options.tmpDir,
    TMP: options.tmpDir,
    ...(capabilities.userResourceVariables ? { BLENDER_USER_RESOURCES: userDirs.resources, BLENDER_USER_EXTENSIONS: userDirs.extensions } : {}),
    BLENDER_USER_SCRIPTS: userDirs.scripts,
    BLENDER_USER_CONFIG: userDirs.config,
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
  };
}

/** The `online-access` input: auto gives it to extensions that declare `[permissions] network`. */
export type OnlineAccessSetting = 'auto' | 'on' | 'off';

/** true/false: ask Blender for it; undefined: leave Blender's default (offline under --factory-startup). */
export function onlineAccessFor(setting: OnlineAccessSetting, declaresNetwork: boolean): boolean | undefined {
  if (setting === 'on') return true;
  if (setting === 'off') return false;
  return declaresNetwork ? true : undefined;
}

/** The flags for it, where the version has them (4.2+); older Blenders have no such gate. */
export function onlineAccessFlags(capabilities: Capabilities, onlineAccess: boolean | undefined): string[] {
  if (!capabilities.onlineAccess || onlineAccess === undefined) return [];
  return [onlineAccess ? '--online-mode' : '--offline-mode'];
}
