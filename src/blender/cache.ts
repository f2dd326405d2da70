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

/** @actions/cache restore; false off a runner (the CLI) or when the service is down. */
export async function restoreAcrossRuns(cacheVersion: string, platform: Platform): Promise<boolean> {
  if (!crossRunCacheAvailable()) return false;
  const dir = toolCacheDir(cacheVersion, platform);
  try {
    const hit = await actionsCache.restoreCache(crossRunPaths(), crossRunKey(cacheVersion, platform));
    return hit !== undefined && existsSync(`${dir}.complete`);
  } catch (error) {
    core.warning(`Restoring Blender from the Actions cache failed (${(error as Error).message}); downloading instead.`);
    return false;
  }
}

/**
 * Restores the newest entry whose key starts with `prefix` (a series: "…-4.2."; latest or
 * lts: any), so a spec a cached Blender satisfies is found across runs without the listings.
 * Returns the key it restored, if any.
 */
export async function restoreAcrossRunsByPrefix(prefix: string): Promise<string | undefined> {
  if (!crossRunCacheAvailable()) return undefined;
  try {
    return await actionsCache.restoreCache(crossRunPaths(), prefix, [prefix]);
  } catch (error) {
    core.warning(`Restoring Blender from the Actions cache failed (${(error as Error).message}).`);
    return undefined;
  }
}

export async function saveAcrossRuns(cacheVersion: string, platform: Platform): Promise<void> {
  if (!crossRunCacheAvailable()) return;
  try {
    await actionsCache.saveCache(crossRunPaths(), crossRunKey(cacheVersion, platform));
  } catch (error) {
    // Another job of the matrix may have saved it first: a cache is never worth a failed run.
    core.info(`Blender was not saved to the Actions cache: ${(error as Error).message}`);
  }
}
