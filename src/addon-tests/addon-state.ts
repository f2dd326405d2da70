import { escapeRegExp } from '../text.js';
import { type SuiteSource, firstLine } from './suite-sources.js';

/** The add-on-state-in-tests input. */
export type AddonStateSetting = 'auto' | 'enabled' | 'installed';

/** How each test file finds the add-on: enabled (as a fresh Blender with it enabled has it), or only installed. */
export interface AddonStateChoice {
  installedOnly: boolean;
  /** one line: which, and why */
  sentence: string;
}

/** A call that enables an add-on: addon_utils.enable(...), bpy.ops.preferences.addon_enable(...), bpy.ops.wm.addon_enable(...). */
const ENABLES = /\baddon_utils\.enable\s*\(|\.addon_enable\s*\(/;

/**
 * Suites that enable the add-on themselves were written for a loop that starts Blender with it
 * installed, not enabled: enabled beforehand, a persistent handler of theirs runs twice or a
 * factory reset calls an unregister() that cannot run. Found by reading the test files and the
 * helpers beside them: a call that enables an add-on, in a file that names this one.
 */
export function findSelfEnabling(suite: SuiteSource[], names: string[]): string | undefined {
  return firstLine(suite, ENABLES, new RegExp(`['"](${names.map(escapeRegExp).join('|')})['"]`));
}

export function chooseAddonState(setting: AddonStateSetting, module: string, selfEnabling: string | undefined): AddonStateChoice {
  const input = `addon-state-in-tests: ${setting}`;
  if (setting === 'installed' || (setting === 'auto' && selfEnabling)) {
    const why = setting === 'auto' ? `The tests enable it themselves (${selfEnabling}), so each` : 'Each';
    return {
      installedOnly: true,
      sentence: `${why} test file starts with ${module} installed, not enabled, as in their own loop; the probes get it enabled (${input}).`,
    };
  }
  const why = setting === 'auto' ? '; the tests do not enable it themselves' : '';
  return { installedOnly: false, sentence: `Each test file starts with ${module} enabled, as a fresh Blender with it enabled has it (${input}${why}).` };
}
