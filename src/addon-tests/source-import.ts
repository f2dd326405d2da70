import path from 'node:path';
import { sourceFolder, sourceName } from '../addon/source-map.js';
import type { StagedAddon } from '../addon/staged-addon.js';
import { displayPath } from '../display-path.js';
import { escapeRegExp } from '../text.js';
import { type SuiteSource, firstLine } from './suite-sources.js';

/** The folder the tests get on sys.path, and the line that says why. */
export interface SourceImport {
  path: string;
  sentence: string;
}

/** Where the suite imports `name` as a top-level module (`import name`, `from name import x`, `from name.sub import x`). */
export function findSourceNameImport(suite: SuiteSource[], name: string): string | undefined {
  const module = escapeRegExp(name);
  return firstLine(suite, new RegExp(`^\\s*(?:import\\s+${module}(?=[\\s.,;]|$)|from\\s+${module}(?=[\\s.]))`));
}

/**
 * A suite written for a loop that puts the source folder's parent on sys.path (`src/` above
 * `src/my_tool/`) imports the add-on by its folder's name, and may find the repository from its
 * `__file__`. Where that name is not one the add-on is importable by already (an extension is
 * `bl_ext.<repository>.<id>`), the tests get that parent on sys.path, as their loop has it: the
 * checkout's own files, of which the staged copy Blender enabled is a copy. A legacy add-on is
 * staged under its folder's name, so that name is already the registered add-on.
 */
export function chooseSourceImport(
  addon: Pick<StagedAddon, 'module' | 'kind' | 'source'>,
  found: string | undefined,
  cwd = process.cwd(),
): SourceImport | undefined {
  const folder = sourceFolder(addon);
  const name = sourceName(addon);
  if (!folder || !found || name === addon.module) return undefined;
  const parent = path.dirname(folder);
  return {
    path: parent,
    sentence: `The tests import the add-on by its folder's name (${found}), so ${displayPath(parent, cwd) || '.'} is on sys.path while they run, as in their own loop: ${name} is your checkout's files (Blender enabled a copy of them as ${addon.module}).`,
  };
}
