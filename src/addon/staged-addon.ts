/** Blender's per-user folders, pointed into the run's own temp dir. */
export interface UserDirs {
  /** BLENDER_USER_RESOURCES (4.2+): the root the others default to. */
  resources: string;
  scripts: string;
  config: string;
  extensions: string;
}

export type AddonKind = 'file' | 'package' | 'zip';

/** What the stage phase hands on: an addon installed where Blender will find it. */
export interface StagedAddon {
  module: string;
  kind: AddonKind;
  source: string;
  userDirs: UserDirs;
}
