import type { UserDirs } from '../blender/invocation.js';
import type { Version } from '../blender/version.js';
import type { ExtensionManifest } from './manifest.js';

export type LegacyKind = 'file' | 'package' | 'zip';
export type AddonKind = LegacyKind | 'extension';

/** A legacy add-on (bl_info): a .py file or a package folder, given as is or zipped. */
export interface LegacyAddonSource {
  kind: LegacyKind;
  /** the `addon` input as given, for sentences */
  shownAs: string;
  /** the .py file or package folder to copy into scripts/addons (unzipped, for a zip) */
  root: string;
  module: string;
}

/** A Blender 4.2+ extension: blender_manifest.toml at the top of a folder or zip. */
export interface ExtensionSource {
  kind: 'extension';
  shownAs: string;
  /** the folder holding blender_manifest.toml (unzipped, for a zip) */
  root: string;
  /** the zip as given, for Blender's own installer; undefined for a folder */
  archive: string | undefined;
  /** bl_ext.user_default.<id>: exactly what a real install imports */
  module: string;
  id: string;
  manifest: ExtensionManifest;
  blenderVersionMin: Version | undefined;
  /** exclusive, as Blender reads it */
  blenderVersionMax: Version | undefined;
  /** `[permissions] network`: the extension expects online access */
  declaresNetwork: boolean;
}

/** What the inspect step finds, before any download: enough to refuse a bad addon early. */
export type AddonSource = LegacyAddonSource | ExtensionSource;

/** What the stage phase hands on: an addon installed where Blender will find it. */
export interface StagedAddon {
  module: string;
  kind: AddonKind;
  userDirs: UserDirs;
  /** how it got there, for the log: "copied", "Blender's installer" */
  installedBy: string;
}
