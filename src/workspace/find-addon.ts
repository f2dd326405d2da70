import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { hasBlInfo } from '../addon/inspect.js';
import { MANIFEST_FILE } from '../addon/manifest.js';

/** An add-on found in the workspace, and what made it one. */
export interface FoundAddon {
  /** as the 'addon' input would name it: ./my_addon, ./src/my_tool, ./tool.py, . */
  path: string;
  /** blender_manifest.toml, bl_info in __init__.py, bl_info in the file; both for a dual add-on */
  mark: string;
}

/**
 * Folders that hold other people's add-ons, or none: test fixtures, dependencies, version
 * control, virtual environments, build output. An add-on there is never picked silently.
 */
const NOT_THE_ADDON = new Set([
  'tests',
  'test',
  'testing',
  'fixtures',
  'node_modules',
  'build',
  'dist',
  'out',
  'site-packages',
  'vendor',
  'vendored',
  'third_party',
  'external',
  'venv',
  'env',
  'examples',
  'docs',
  '__pycache__',
]);

/**
 * The add-ons of a repository, as setup-node finds .nvmrc: the root itself, the folders one
 * level below it and below src/, and the root's single-file add-ons (.py with bl_info). The
 * root is an add-on when it has a manifest or an __init__.py with bl_info; then its folders are
 * its own modules.
 */
export async function findAddons(root: string): Promise<FoundAddon[]> {
  const own = await markOf(root);
  if (own) return [{ path: '.', mark: own }];
  const found: FoundAddon[] = [];
  for (const [base, shown] of [
    [root, '.'],
    [path.join(root, 'src'), './src'],
  ] as const) {
    for (const entry of await entries(base)) {
      if (entry.isDirectory()) {
        if (!(await looksLikeItsOwn(base, entry.name))) continue;
        const mark = await markOf(path.join(base, entry.name));
        if (mark) found.push({ path: `${shown}/${entry.name}`, mark });
      } else if (base === root && entry.isFile() && entry.name.endsWith('.py') && entry.name !== 'setup.py' && entry.name !== 'conftest.py') {
        if (hasBlInfo(await readFile(path.join(base, entry.name), 'utf8').catch(() => '')))
          found.push({ path: `./${entry.name}`, mark: 'bl_info in the file' });
      }
    }
  }
  return found;
}

/** "blender_manifest.toml", "bl_info in __init__.py", both, or undefined: not an add-on folder. */
async function markOf(folder: string): Promise<string | undefined> {
  const names = new Set((await entries(folder)).map((e) => e.name));
  const manifest = names.has(MANIFEST_FILE);
  const blInfo = names.has('__init__.py') && hasBlInfo(await readFile(path.join(folder, '__init__.py'), 'utf8').catch(() => ''));
  if (manifest && blInfo) return `${MANIFEST_FILE} and bl_info`;
  if (manifest) return MANIFEST_FILE;
  return blInfo ? 'bl_info in __init__.py' : undefined;
}

/** Not hidden, not a fixture or dependency folder by name, not a virtual environment (pyvenv.cfg). */
async function looksLikeItsOwn(base: string, name: string): Promise<boolean> {
  if (name.startsWith('.') || name.startsWith('_') || NOT_THE_ADDON.has(name.toLowerCase())) return false;
  return !(await entries(path.join(base, name))).some((e) => e.name === 'pyvenv.cfg');
}

async function entries(folder: string) {
  return (await readdir(folder, { withFileTypes: true }).catch(() => [])).sort((a, b) => a.name.localeCompare(b.name));
}
