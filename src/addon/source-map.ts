import path from 'node:path';
import { displayPath } from '../display-path.js';
import type { StagedAddon } from './staged-addon.js';

/**
 * The user's file a file of the staged copy was copied from, as reports name it
 * (workspace-relative; inside a zip: "addon.zip › module/file.py"), or undefined when the
 * file is not part of the copy (a bundled add-on, Blender's own code).
 */
export function sourceFileOf(stagedFile: string, addon: Pick<StagedAddon, 'path' | 'source'>, cwd = process.cwd()): string | undefined {
  const relative = path.relative(addon.path, stagedFile);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const { root, archive, shownAs } = addon.source;
  if (archive) return [shownAs, [path.basename(addon.path), relative].filter(Boolean).join('/')].join(' › ');
  return displayPath(path.join(root, relative), cwd);
}
