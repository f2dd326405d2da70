import { type Version, compareVersions, formatVersion } from './version.js';

/**
 * What a Blender version can do, in one table: every version-dependent choice of the command
 * line, the environment and the add-on install reads it, and nothing else does.
 */
const SINCE = {
  /** blender_manifest.toml extensions, imported as bl_ext.<repo>.<id> */
  extensions: [4, 2, 0],
  /** BLENDER_USER_RESOURCES and BLENDER_USER_EXTENSIONS (the 4.2 user-dir split) */
  userResourceVariables: [4, 2, 0],
  /** --online-mode / --offline-mode, bpy.app.online_access */
  onlineAccess: [4, 2, 0],
  /** blender --command <cmd> (extension validate / install-file) */
  commands: [4, 2, 0],
} as const satisfies Record<string, Version>;

export type Capability = keyof typeof SINCE;
export type Capabilities = Record<Capability, boolean>;

/**
 * `undefined` is a Blender whose version was not asked (a local Blender when nothing needed
 * it): it gets every environment variable (an older Blender ignores what it does not know)
 * and no version-specific flag (an older Blender would take one for a file to open).
 */
export function capabilitiesOf(version: Version | undefined): Capabilities {
  const has = (capability: Capability) => version !== undefined && compareVersions(version, SINCE[capability]) >= 0;
  return {
    extensions: has('extensions'),
    userResourceVariables: version === undefined || has('userResourceVariables'),
    onlineAccess: has('onlineAccess'),
    commands: has('commands'),
  };
}

/** "4.2.0": the first version with the capability, for sentences. */
export function firstVersionWith(capability: Capability): string {
  return formatVersion(SINCE[capability]);
}
