import { realpathSync } from 'node:fs';
import path from 'node:path';
import { displayPath, isWithin } from '../display-path.js';
import type { StagedAddon } from './staged-addon.js';
import { escapeRegExp } from '../text.js';

/**
 * The user's file a file of the staged copy was copied from, as reports name it
 * (workspace-relative; inside a zip: "addon.zip › module/file.py"), or undefined when the
 * file is not part of the copy (a bundled add-on, Blender's own code).
 */
export function sourceFileOf(stagedFile: string, addon: Pick<StagedAddon, 'path' | 'source'>, cwd = process.cwd()): string | undefined {
  if (!isWithin(stagedFile, addon.path)) return undefined;
  const relative = path.relative(addon.path, stagedFile);
  const { root, archive, shownAs } = addon.source;
  if (archive) return [shownAs, [path.basename(addon.path), relative].filter(Boolean).join('/')].join(' › ');
  return displayPath(path.join(root, relative), cwd);
}

/** The name of the user's folder or .py file the add-on was staged from: what their own suite may call it. */
export function sourceName(addon: Pick<StagedAddon, 'source'>): string {
  return path.basename(addon.source.root).replace(/\.py$/, '');
}

/**
 * The user's folder the add-on was staged from, when it is one the user's files are in (a
 * package, an extension folder): test files inside it are the add-on's own submodules. Not a
 * single .py file, and not a zip (its folder is an unpacked temporary copy).
 */
export function sourceFolder(addon: Pick<StagedAddon, 'kind' | 'source'>): string | null {
  return (addon.kind === 'package' || addon.kind === 'extension') && !addon.source.archive ? addon.source.root : null;
}

/** How a run names the staged copies' files: as the user's files, in a path or anywhere in a text. */
export interface UserPaths {
  /** a staged file as the user's file; any other file as reports show a path */
  file(file: string): string;
  /** every staged path in a text (a traceback, a log line) replaced by the user's file */
  text(text: string): string;
}

/**
 * The user's paths for the staged copies of a run (one per test worker). A traceback names
 * the staged copy (/tmp/…/run-x/profile/scripts/addons/my_addon/ops.py), a path that is gone
 * once the run ends: what the user reads must name their own file (my_addon/ops.py).
 */
export function userPaths(addons: Pick<StagedAddon, 'path' | 'source'>[], cwd = process.cwd()): UserPaths {
  const roots = addons.flatMap((addon) => [...new Set([addon.path, realpathOr(addon.path)])].map((root) => ({ root, addon })));
  // Longest first, so a root that is a prefix of another does not take its files.
  roots.sort((a, b) => b.root.length - a.root.length);
  const pattern = roots.length > 0 ? new RegExp(`(?:${roots.map((r) => escapeRegExp(r.root)).join('|')})(?:[\\\\/][^\\s"'<>:,()]*)?`, 'g') : undefined;
  const file = (staged: string): string => {
    for (const { root, addon } of roots) {
      const mapped = sourceFileOf(staged, { path: root, source: addon.source }, cwd);
      if (mapped) return mapped;
    }
    return displayPath(staged, cwd);
  };
  return {
    file,
    text: (text) => (pattern ? text.replace(pattern, (staged) => file(staged)) : text),
  };
}

function realpathOr(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
