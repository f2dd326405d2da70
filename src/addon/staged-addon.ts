import type { UserDirs } from '../blender/invocation.js';
import type { SourceLocation } from '../errors.js';
import type { Version } from '../blender/version.js';
import type { ExtensionManifest } from './manifest.js';

type LegacyKind = 'file' | 'package' | 'zip';
type AddonKind = LegacyKind | 'extension';

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
  /** bl_ext.<repository>.<id>: exactly what a real install imports */
  module: string;
  id: string;
  /** the extension repository it goes into (the extension-repository input) */
  repository: string;
  /**
   * How Blender before 4.2 loads it, when its __init__.py also has bl_info: as a legacy
   * add-on (Blender before 4.2 ignores the manifest). Undefined for an extension only.
   */
  legacy: LegacyAddonSource | undefined;
  manifest: ExtensionManifest;
  /** what only the extensions platform's strict rules refuse (Blender installs it): warnings */
  platformProblems: PlacedProblem[];
  blenderVersionMin: Version | undefined;
  /** exclusive, as Blender reads it */
  blenderVersionMax: Version | undefined;
  /** `[permissions] network`: the extension expects online access */
  declaresNetwork: boolean;
}

/** A manifest problem on its line: `at` is "file:line", or the manifest's name inside a zip. */
export interface PlacedProblem {
  message: string;
  location: SourceLocation | undefined;
  at: string;
}

/** What the inspect step finds, before any download: enough to refuse a bad add-on early. */
export type AddonSource = LegacyAddonSource | ExtensionSource;

/** What the stage phase hands on: an add-on installed where Blender will find it. */
export interface StagedAddon {
  module: string;
  kind: AddonKind;
  userDirs: UserDirs;
  /** how it got there, for the log: "copied", "Blender's installer" */
  installedBy: string;
  /** the staged copy (a .py file or a folder): the one the driver must load, nothing else */
  path: string;
  /** what the copy was made from: the user's file or folder (unzipped, for a zip), and how to name it */
  source: { root: string; shownAs: string; archive: string | undefined };
  /** what the extensions platform would refuse and Blender installs all the same (extensions) */
  warnings: PlacedProblem[];
  /** an extension's repository; one a fresh profile lacks (not builtIn) is made by the driver */
  repository: { module: string; directory: string; builtIn: boolean } | undefined;
}
