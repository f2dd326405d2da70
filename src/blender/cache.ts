import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as actionsCache from '@actions/cache';
import * as core from '@actions/core';
import type { Platform } from './platform.js';

const TOOL = 'blender';

/** The tool cache: RUNNER_TOOL_CACHE on runners; for the CLI, a folder under the user's cache dir. */
export function toolCacheRoot(): string {
  return process.env['RUNNER_TOOL_CACHE'] || path.join(process.env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache'), 'blender-bg-action', 'tool-cache');
}

/**
 * Where a version lives in the tool cache: tool-cache's own layout
 * (<root>/blender/<version>/<arch>, with a "<dir>.complete" marker), so setup-* style
 * tooling sees it too. We unpack straight into it rather than through tool-cache's
 * cacheDir, which would copy ~1 GB.
 */
export function toolCacheDir(cacheVersion: string, platform: Platform): string {
  return path.join(toolCacheRoot(), TOOL, cacheVersion, platform.arch);
}

/** The cached folder, if complete. (tool-cache's find() reads the same marker, but prints
 * ::debug:: lines to stdout, which a terminal user of the CLI would see.) */
export function findInToolCache(cacheVersion: string, platform: Platform): string | undefined {
  const dir = toolCacheDir(cacheVersion, platform);
  return existsSync(`${dir}.complete`) ? dir : undefined;
}

/** Every complete version in the tool cache for this architecture ("4.2.3", "5.1.0-daily.abc"). */
export async function cachedVersions(platform: Platform): Promise<string[]> {
  const names = await readdir(path.join(toolCacheRoot(), TOOL)).catch(() => [] as string[]);
  return names.filter((version) => existsSync(`${toolCacheDir(version, platform)}.complete`));
}

/**
 * What `latest` or `lts` meant when last resolved online (a small file beside the cached
 * versions): offline, or with check-latest false, that version answers the spec again.
 */
export async function rememberResolution(spec: string, cacheVersion: string): Promise<void> {
  await mkdir(path.join(toolCacheRoot(), TOOL), { recursive: true });
  await writeFile(path.join(toolCacheRoot(), TOOL, `${spec}.resolved`), `${cacheVersion}\n`);
}

export async function lastResolution(spec: string): Promise<string | undefined> {
  const text = await readFile(path.join(toolCacheRoot(), TOOL, `${spec}.resolved`), 'utf8').catch(() => '');
  return text.trim() || undefined;
}

export async function markComplete(dir: string): Promise<void> {
  await writeFile(`${dir}.complete`, '');
}

/** The key across runs: OS, arch, exact version, and for daily builds the build hash. */
export function crossRunKey(cacheVersion: string, platform: Platform): string {
  return `${crossRunPrefix(platform)}${cacheVersion}`;
}

/**
 * The start every key of this OS and arch shares; with a series ("4.2.") it is the restore
 * key that finds the newest cached 4.2.x, whichever patch an earlier run saved.
 */
export function crossRunPrefix(platform: Platform, series?: string): string {
  return `blender-bg-action-${platform.os}-${platform.arch}-${series ? `${series}.` : ''}`;
}

/**
 * What is saved and restored: the tool's whole folder, not one version's. The Actions cache
 * matches an entry only with the same paths, so a restore by key prefix (any 4.2.x) needs
 * paths that do not name the version. On a runner the folder holds what this job installed.
 */
function crossRunPaths(): string[] {
  return [path.join(toolCacheRoot(), TOOL)];
}

function crossRunCacheAvailable(): boolean {
  try {
    return actionsCache.isFeatureAvailable();
  } catch {
    return false;
  }
}

/**
 * @actions/cache restore of `paths` by `key` (or the newest entry starting with one of
 * `restoreKeys`): the key it restored, or undefined off a runner (the CLI), on a miss, or
 * when the service fails (a warning names `what`: a cache is never worth a failed run).
 */
export async function restoreFromActionsCache(paths: string[], key: string, restoreKeys: string[], what: string): Promise<string | undefined> {
  if (!crossRunCacheAvailable()) return undefined;
  try {
    return await actionsCache.restoreCache(paths, key, restoreKeys);
  } catch (error) {
    core.warning(`Restoring ${what} from the Actions cache failed (${(error as Error).message}).`);
    return undefined;
  }
}

/** @actions/cache save; a failure (another matrix job saved it first) is a line in the log. */
export async function saveToActionsCache(paths: string[], key: string, what: string): Promise<void> {
  if (!crossRunCacheAvailable()) return;
  try {
    await actionsCache.saveCache(paths, key);
  } catch (error) {
    core.info(`${what} was not saved to the Actions cache: ${(error as Error).message}`);
  }
}

/** Blender from the Actions cache by its exact version. */
export async function restoreAcrossRuns(cacheVersion: string, platform: Platform): Promise<boolean> {
  const hit = await restoreFromActionsCache(crossRunPaths(), crossRunKey(cacheVersion, platform), [], 'Blender');
  return hit !== undefined && existsSync(`${toolCacheDir(cacheVersion, platform)}.complete`);
}

/**
 * Restores the newest entry whose key starts with `prefix` (a series: "…-4.2."; latest or
 * lts: any), so a spec a cached Blender satisfies is found across runs without the listings.
 * Returns the key it restored, if any.
 */
export async function restoreAcrossRunsByPrefix(prefix: string): Promise<string | undefined> {
  return restoreFromActionsCache(crossRunPaths(), prefix, [prefix], 'Blender');
}

export async function saveAcrossRuns(cacheVersion: string, platform: Platform): Promise<void> {
  await saveToActionsCache(crossRunPaths(), crossRunKey(cacheVersion, platform), 'Blender');
}
