import { capabilitiesOf, firstVersionWith } from '../blender/capabilities.js';
import { type Version, compareVersions, formatVersion } from '../blender/version.js';
import type { SourceLocation } from '../errors.js';
import { locationOf } from './manifest.js';
import type { AddonSource } from './staged-addon.js';

export interface Incompatibility {
  /** one sentence: what the add-on needs and which Blender this is */
  reason: string;
  location: SourceLocation | undefined;
}

/**
 * Why this Blender cannot run the add-on, before it is launched: an extension on a Blender
 * older than 4.2, or outside the manifest's blender_version_min / blender_version_max
 * (max is exclusive, as Blender reads it). Legacy add-ons declare no range Blender enforces.
 */
export function incompatibility(addon: AddonSource, blenderVersion: Version): Incompatibility | undefined {
  if (addon.kind !== 'extension') return undefined;
  // With bl_info too, Blender before 4.2 loads it as a legacy add-on (asLoadedBy).
  const thisBlender = `this is Blender ${formatVersion(blenderVersion)}`;
  if (!capabilitiesOf(blenderVersion).extensions) {
    return {
      reason: `The add-on ${addon.shownAs} is a Blender extension (${addon.manifest.shownAs}), which Blender runs from ${firstVersionWith('extensions')} on; ${thisBlender}.`,
      location: undefined,
    };
  }
  const { blenderVersionMin: min, blenderVersionMax: max } = addon;
  if (min && compareVersions(blenderVersion, min) < 0) {
    return {
      reason: `The extension '${addon.id}' needs Blender ${formatVersion(min)} or newer (blender_version_min in ${addon.manifest.shownAs}); ${thisBlender}.`,
      location: locationOf(addon.manifest, ['blender_version_min']),
    };
  }
  if (max && compareVersions(blenderVersion, max) >= 0) {
    return {
      reason: `The extension '${addon.id}' runs on Blender older than ${formatVersion(max)} (blender_version_max in ${addon.manifest.shownAs}); ${thisBlender}.`,
      location: locationOf(addon.manifest, ['blender_version_max']),
    };
  }
  return undefined;
}

/**
 * The add-on as this Blender loads it: an extension that also has bl_info is a legacy add-on
 * to Blender before 4.2 (which ignores blender_manifest.toml), and an extension from 4.2 on.
 * An unknown version is taken as a new Blender.
 */
export function asLoadedBy(addon: AddonSource, blenderVersion: Version | undefined): AddonSource {
  if (addon.kind !== 'extension' || !addon.legacy || blenderVersion === undefined) return addon;
  return capabilitiesOf(blenderVersion).extensions ? addon : addon.legacy;
}
