import { sourceFolder, sourceName } from '../addon/source-map.js';
import type { StagedAddon } from '../addon/staged-addon.js';
import { type AddonStateSetting, chooseAddonState, findSelfEnabling } from './addon-state.js';
import { chooseSourceImport, findSourceNameImport } from './source-import.js';
import { readSuiteSources } from './suite-sources.js';

/** How the suite's own loop had the add-on, so the tests run as they were written to. */
export interface SuiteShape {
  /** each test file starts with the add-on installed, not enabled (addon-state-in-tests) */
  installedOnly: boolean;
  /** folders on sys.path while the tests run (the source folder's parent) */
  importPaths: string[];
  /** one line each: what was chosen and why */
  lines: string[];
}

/** Reads the test files (the helpers beside them, conftests up the tree, what they import) once: do they enable the add-on, do they import it by its folder's name? */
export async function readSuiteShape(
  testFiles: string[],
  addon: Pick<StagedAddon, 'module' | 'kind' | 'source'>,
  setting: AddonStateSetting,
): Promise<SuiteShape> {
  const folder = sourceFolder(addon);
  const suite = await readSuiteSources(testFiles, process.cwd(), folder ? [folder] : []);
  const name = sourceName(addon);
  const state = chooseAddonState(setting, addon.module, findSelfEnabling(suite, [addon.module, addon.module.split('.').at(-1)!, name]));
  const sourceImport = chooseSourceImport(addon, findSourceNameImport(suite, name));
  return {
    installedOnly: state.installedOnly,
    importPaths: sourceImport ? [sourceImport.path] : [],
    lines: [state.sentence, ...(sourceImport ? [sourceImport.sentence] : [])],
  };
}
