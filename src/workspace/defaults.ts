import { stat } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { type ResolvedConfig, type RunConfig, requireAddon } from '../inputs/config.js';
import { UserError } from '../errors.js';
import { TEST_NAMES_SAID, expandTestPatterns, namedAs } from '../globs.js';
import { type FoundAddon, findAddons } from './find-addon.js';

/** Where a repository keeps its tests and its probe files, first found wins. */
const TEST_FOLDERS = ['tests', 'test'] as const;
const PROBE_PATTERNS = ['tests/probes/*.json', 'probes/*.json'] as const;

/** The inputs a run can do without, filled in from the workspace, and a line for each found. */
export interface WorkspaceDefaults {
  config: ResolvedConfig;
  lines: string[];
}

/**
 * A bare `uses:` (or `npx blender-bg-action` in an add-on's repository): the add-on, its tests
 * and its probe files found where repositories keep them, as setup-node finds .nvmrc. Only when
 * the add-on is not named: a run that names it names what to run on it (a checkout's tests/
 * may be another project's, as this one's test/ holds fixtures). Of the tests and probes, only
 * those not given are looked for, and each one found is said.
 */
export async function withWorkspaceDefaults(config: RunConfig, cwd: string): Promise<WorkspaceDefaults> {
  if (config.addon !== undefined) return { config: requireAddon(config), lines: [] };
  const lines: string[] = [];
  let { tests, probes } = config;
  const found = chooseAddon(await findAddons(cwd), cwd);
  const addon = found.path;
  lines.push(`add-on: ${found.path} (found: ${found.mark}; the 'addon' input names another)`);
  if (tests.length === 0) {
    const found = await firstTestFolder(cwd);
    if (found) {
      tests = [found.folder];
      // Which names it went by: a suite whose files were not found says so by what is missing here.
      lines.push(`tests: ${found.folder}/ (found: ${namedAs(found.files)}; the tests input names others)`);
    }
  }
  if (probes.length === 0) {
    for (const pattern of PROBE_PATTERNS) {
      if ((await glob(pattern, { cwd })).length === 0) continue;
      probes = [pattern];
      lines.push(`probes: ${pattern} (found; the probes input names others)`);
      break;
    }
  }
  // With nothing named at all, a run that only enables the add-on would pass having tested nothing.
  if (tests.length === 0 && probes.length === 0 && config.port === undefined) {
    throw new UserError(
      `Nothing to test in ${addon}: no ${TEST_FOLDERS.map((f) => `${f}/`).join(' or ')} folder with ${TEST_NAMES_SAID} files, no probe files (${PROBE_PATTERNS.join(', ')}), and no port; set tests, probes or port.`,
    );
  }
  return { config: { ...config, addon, tests, probes }, lines };
}

/** Exactly one add-on: it. None or several: one sentence naming what was found, and the input to set. */
export function chooseAddon(found: FoundAddon[], cwd: string): FoundAddon {
  if (found.length === 1) return found[0]!;
  if (found.length === 0) {
    throw new UserError(
      `No add-on found in ${cwd}: no folder with ${'blender_manifest.toml'} or an __init__.py with bl_info (here, one level below, or below src/), and no .py file with bl_info here; set the 'addon' input to the folder, .py file or .zip to test.`,
    );
  }
  const listed = found.map((f) => `${f.path} (${f.mark})`).join(', ');
  throw new UserError(`${found.length} add-ons found in ${cwd}: ${listed}; set the 'addon' input to the one to test.`);
}

/** tests/ (or test/) when it holds test files as pytest and unittest name them. */
async function firstTestFolder(cwd: string): Promise<{ folder: string; files: string[] } | undefined> {
  for (const folder of TEST_FOLDERS) {
    const isFolder = await stat(path.join(cwd, folder)).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isFolder) continue;
    const files = await expandTestPatterns([folder], cwd).catch(() => []);
    if (files.length > 0) return { folder, files };
  }
  return undefined;
}
