import { readdir, rename, rm } from 'node:fs/promises';
import { UserError } from '../errors.js';
import {
  cachedVersions,
  crossRunPrefix,
  findInToolCache,
  lastResolution,
  markComplete,
  rememberResolution,
  restoreAcrossRuns,
  restoreAcrossRunsByPrefix,
  saveAcrossRuns,
  toolCacheDir,
} from './cache.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_RETRY, HttpStatusError, NetworkError, describeFailure, failuresOf, getText, isTransient, withMirrors } from './catalog/http.js';
import { checksumFor } from './catalog/releases.js';
import { NO_PROGRESS, type Progress } from '../progress.js';
import { ChecksumMismatchError, downloadVerified } from './download.js';
import type { Installation } from './installation.js';
import { locateBlender } from './locate.js';
import { type Platform, currentPlatform, executableIn, topFolderOf } from './platform.js';
import { type ResolvedBuild, type Sources, resolveBuild } from './resolve.js';
import { checkBlenderRuns } from './shared-libraries.js';
import { type VersionSpec, parseVersionSpec } from './spec.js';
import { formatVersion, newestFirst } from './version.js';
import { unpackArchive } from './unpack.js';

export interface ProvisionOptions {
  spec: string;
  sources: Sources;
  /** tool cache within the job and @actions/cache across runs */
  cache: boolean;
  /** ask the listings for the newest match even when a cached Blender satisfies the spec */
  checkLatest?: boolean;
  platform?: Platform;
  log: (line: string) => void;
  /** something the user should see and may act on (a warning annotation in the action) */
  warn?: (line: string) => void;
  /** progress of a download: a terminal line, or lines in a log */
  progress?: (label: string, total: number | undefined) => Progress;
}

/**
 * A Blender for `spec`: from the caches when there (an exact version touches no network),
 * otherwise resolved, downloaded from the first mirror that works, verified against its
 * published SHA-256, unpacked into the tool cache, checked to start, and saved for later runs.
 */
export async function provisionBlender(options: ProvisionOptions): Promise<Installation> {
  const spec = parseVersionSpec(options.spec);
  if (spec.kind === 'system') return locateBlender('blender');
  const platform = options.platform ?? currentPlatform();

  if (spec.kind === 'exact' && options.cache) {
    const cached = await fromCaches(formatVersion(spec.version), platform, options);
    if (cached) return cached;
  }
  // check-latest: false (as in setup-node): a cached Blender that satisfies the spec is enough.
  let satisfying = spec.kind !== 'exact' && options.cache ? await cachedMatch(spec, platform) : undefined;
  if (!satisfying && spec.kind !== 'exact' && spec.kind !== 'daily' && options.cache) {
    // Not in this runner's tool cache: maybe an earlier run saved a match (any 4.2.x).
    if (await restoreAcrossRunsByPrefix(crossRunPrefix(platform, spec.kind === 'series' ? spec.series : undefined)))
      satisfying = await cachedMatch(spec, platform);
  }
  if (satisfying && !options.checkLatest) {
    options.log(`Blender ${satisfying} from the cache satisfies ${options.spec} (check-latest: true would ask for a newer one).`);
    return (await fromCaches(satisfying, platform, options))!;
  }
  let build: ResolvedBuild;
  try {
    build = await resolveBuild(spec, platform, options.sources);
  } catch (error) {
    if (error instanceof UserError) throw error;
    // blender.org down or refusing: one sentence naming what each URL answered, or the cache.
    if (satisfying) {
      options.warn?.(
        `The Blender listings could not be read (${describeFailure(error)}); using Blender ${satisfying} from the cache, which satisfies ${options.spec}.`,
      );
      return (await fromCaches(satisfying, platform, options))!;
    }
    throw new UserError(`Blender ${options.spec} could not be looked up: ${describeFailure(error)}.`);
  }
  options.log(`Resolved ${options.spec} to Blender ${build.cacheVersion} (${build.fileName}).`);
  if (spec.kind === 'latest' || spec.kind === 'lts') await rememberResolution(spec.kind, build.cacheVersion);
  if (spec.kind !== 'exact' && options.cache) {
    const cached = await fromCaches(build.cacheVersion, platform, options);
    if (cached) return cached;
  }

  const dir = toolCacheDir(build.cacheVersion, platform);
  await download(build, `${dir}.partial`, options);
  await rm(dir, { recursive: true, force: true });
  await rename(`${dir}.partial`, dir);
  const executable = executableIn(dir, topFolderOf(build.fileName), platform.os);
  await checkBlenderRuns(executable, build.cacheVersion);
  await markComplete(dir); // only a verified Blender that starts is ever cached
  if (options.cache) await saveAcrossRuns(build.cacheVersion, platform);
  return { version: build.cacheVersion, executable, cacheHit: false };
}

/**
 * The newest cached Blender that satisfies a spec that is not an exact version: a series'
 * newest cached patch; for latest and lts, what they meant when last resolved online.
 * Daily builds change daily: never answered from the cache without asking.
 */
async function cachedMatch(spec: VersionSpec, platform: Platform): Promise<string | undefined> {
  if (spec.kind === 'series') {
    const releases = (await cachedVersions(platform)).filter((v) => /^\d+\.\d+\.\d+$/.test(v) && v.startsWith(`${spec.series}.`));
    return newestFirst(releases)[0];
  }
  if (spec.kind === 'latest' || spec.kind === 'lts') {
    const remembered = await lastResolution(spec.kind);
    return remembered && (await cachedVersions(platform)).includes(remembered) ? remembered : undefined;
  }
  return undefined;
}

async function fromCaches(cacheVersion: string, platform: Platform, options: ProvisionOptions): Promise<Installation | undefined> {
  let dir = findInToolCache(cacheVersion, platform);
  if (!dir && (await restoreAcrossRuns(cacheVersion, platform))) dir = findInToolCache(cacheVersion, platform);
  if (!dir) return undefined;
  options.log(`Blender ${cacheVersion} found in the cache: ${dir}`);
  const executable = await findExecutable(dir, platform);
  return { version: cacheVersion, executable, cacheHit: true };
}

/** A cached folder holds one top folder (or Blender.app): find the executable in it. */
async function findExecutable(dir: string, platform: Platform): Promise<string> {
  const top = (await readdir(dir)).find((entry) => !entry.startsWith('.')) ?? '';
  return executableIn(dir, top, platform.os);
}

/**
 * The one retry layer of a download: a dropped connection (also mid-body) or a 5xx is tried
 * again on the same mirror, with jittered backoff; a checksum mismatch, a 403/404, a refused
 * connection or an unknown host is not (the next mirror may do better).
 */
async function downloadWithRetries(url: string, sha256: string, build: ResolvedBuild, dest: string, options: ProvisionOptions) {
  const retry = options.sources.retry ?? DEFAULT_RETRY;
  for (let attempt = 1; ; attempt++) {
    try {
      // The .tar.xz unpacks as it arrives: one stream, one progress line for both.
      const label = build.kind === 'tar.xz' ? `Downloading and unpacking Blender ${build.cacheVersion}` : `Downloading Blender ${build.cacheVersion}`;
      return await downloadVerified(url, sha256, build.kind, dest, (total) => (options.progress ? options.progress(label, total) : NO_PROGRESS));
    } catch (error) {
      const transient =
        isTransient(error) || (!(error instanceof ChecksumMismatchError) && !(error instanceof HttpStatusError) && !(error instanceof NetworkError));
      if (!transient || attempt >= retry.attempts) throw error;
      options.log(`Download of ${url} failed (${describeFailure(error)}); trying again.`);
      await sleep(Math.random() * retry.backoffMs * 2 ** (attempt - 1));
    }
  }
}

/** Mirror after mirror until one gives a file whose checksum matches. */
async function download(build: ResolvedBuild, dest: string, options: ProvisionOptions): Promise<void> {
  const bases = build.downloads.map((d) => d.url);
  await withMirrors(bases, async (url) => {
    const { checksumUrl } = build.downloads.find((d) => d.url === url)!;
    const sha256 = checksumFor(await getText(checksumUrl, options.sources.retry), build.fileName);
    if (!sha256) throw new Error(`${checksumUrl} publishes no SHA-256 for ${build.fileName}`);
    options.log(`Downloading ${url}`);
    const started = performance.now();
    const result = await downloadWithRetries(url, sha256, build, dest, options);
    options.log(
      `Downloaded and verified ${(result.bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)}s (SHA-256 ${sha256.slice(0, 12)}…).`,
    );
    await unpackArchive(build.kind, result.location, dest);
  }).catch((error: unknown) => {
    if (error instanceof UserError) throw error;
    const mismatch = failuresOf(error).some((e) => e instanceof ChecksumMismatchError);
    const what = mismatch ? 'did not match its published SHA-256 (the file was deleted)' : `could not be downloaded (${describeFailure(error)})`;
    throw new UserError(`Blender ${build.cacheVersion} ${what}.`);
  });
}
