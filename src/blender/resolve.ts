import { UserError } from '../errors.js';
import { findDailyBuild } from './catalog/daily.js';
import { HttpStatusError, type RetryOptions, failuresOf, withMirrors } from './catalog/http.js';
import { listLtsSeries } from './catalog/lts.js';
import { listSeries, listSeriesFolder } from './catalog/releases.js';
import { type ArchiveKind, type Platform, archiveKindOf, describePlatform, releaseFileName } from './platform.js';
import { type VersionSpec, describeSpec } from './spec.js';
import { type Version, compareVersions, formatVersion, newestFirst, parseVersion } from './version.js';

/** Where builds and their lists come from; tests and air-gapped runners point these elsewhere. */
export interface Sources {
  /** release roots (".../release"), tried in order */
  releaseMirrors: string[];
  dailyUrl: string;
  versionsUrl: string;
  retry?: RetryOptions;
}

export const BLENDER_ORG = 'https://download.blender.org/release';
export const DEFAULT_SOURCES: Sources = {
  releaseMirrors: [BLENDER_ORG],
  dailyUrl: 'https://builder.blender.org/download/daily/?format=json&v=1',
  versionsUrl: 'https://docs.blender.org/PROD/versions.json',
};

/** A concrete build to install: what the download phase needs, and the cache key's parts. */
export interface ResolvedBuild {
  version: Version;
  /** "4.2.3", or "4.5.4-daily.abc123" for a daily build: the cache's version */
  cacheVersion: string;
  fileName: string;
  kind: ArchiveKind;
  /** one per mirror, in order */
  downloads: { url: string; checksumUrl: string }[];
  daily: { hash: string; branch: string; risk: string } | undefined;
}

const input = "Input 'blender-version'";

export async function resolveBuild(spec: Exclude<VersionSpec, { kind: 'system' }>, platform: Platform, sources: Sources): Promise<ResolvedBuild> {
  if (spec.kind === 'daily') return resolveDaily(spec, platform, sources);
  if (spec.kind === 'exact') requireBuild(spec.version, platform); // before any network
  const series = await seriesFor(spec, sources);
  const listing = await withMirrors(sources.releaseMirrors, (base) => listSeriesFolder(base, series, sources.retry)).catch((error: unknown) =>
    notFoundOr(error, async () => `${input}: there is no Blender ${series} release; ${await nearestSeries(series, sources)}.`),
  );
  const version = spec.kind === 'exact' ? listing.versions.find((v) => compareVersions(v, spec.version) === 0) : listing.versions[0];
  if (!version) {
    const wanted = spec.kind === 'exact' ? `Blender ${formatVersion(spec.version)}` : describeSpec(spec);
    throw new UserError(`${input}: ${wanted} is not released; ${nearest(listing.versions, spec.kind === 'exact' ? spec.version : undefined)}.`);
  }
  const named = requireBuild(version, platform);
  if (!listing.files.has(named.fileName)) {
    throw new UserError(
      `${input}: Blender ${formatVersion(version)} has no ${named.fileName} in the release folder, so there is no build for ${describePlatform(platform)}.`,
    );
  }
  return {
    version,
    cacheVersion: formatVersion(version),
    fileName: named.fileName,
    kind: named.kind,
    downloads: sources.releaseMirrors.map((base) => ({
      url: `${base}/Blender${series}/${named.fileName}`,
      checksumUrl: `${base}/Blender${series}/blender-${formatVersion(version)}.sha256`,
    })),
    daily: undefined,
  };
}

function requireBuild(version: Version, platform: Platform): { fileName: string; kind: ArchiveKind } {
  const named = releaseFileName(version, platform);
  if ('none' in named) throw new UserError(`${input}: ${named.none}`);
  return named;
}

async function seriesFor(spec: Exclude<VersionSpec, { kind: 'system' | 'daily' }>, sources: Sources): Promise<string> {
  if (spec.kind === 'exact') return `${spec.version[0]}.${spec.version[1]}`;
  if (spec.kind === 'series') return spec.series;
  if (spec.kind === 'lts') {
    const lts = await listLtsSeries(sources.versionsUrl, sources.retry);
    const newestLts = newestFirst(lts)[0];
    if (!newestLts) throw new UserError(`${input}: the documentation's version list (${sources.versionsUrl}) names no LTS series.`);
    return newestLts;
  }
  const all = await withMirrors(sources.releaseMirrors, (base) => listSeries(base, sources.retry));
  if (all.length === 0) throw new UserError(`${input}: the release listing at ${sources.releaseMirrors[0]} has no Blender folders.`);
  return all[0]!;
}

async function resolveDaily(spec: Extract<VersionSpec, { kind: 'daily' }>, platform: Platform, sources: Sources): Promise<ResolvedBuild> {
  const { build, branches } = await findDailyBuild(sources.dailyUrl, platform, spec.series, spec.risk, sources.retry);
  if (!build) {
    const which = `${spec.series ? `the ${spec.series} branch` : 'main'}${spec.risk ? ` at risk ${spec.risk}` : ''}`;
    throw new UserError(
      `${input}: no daily build of ${which} exists for ${describePlatform(platform)}; branches with builds for it: ${branches.join(', ') || 'none'}.`,
    );
  }
  const kind = archiveKindOf(build.fileName)!;
  return {
    version: build.version,
    cacheVersion: `${formatVersion(build.version)}-daily.${build.hash}`,
    fileName: build.fileName,
    kind,
    downloads: [{ url: build.url, checksumUrl: build.checksumUrl }],
    daily: { hash: build.hash, branch: build.branch, risk: build.risk },
  };
}

/** "the nearest are 4.2.9, 4.2.8, 4.2.7" */
function nearest(versions: Version[], to: Version | undefined): string {
  if (versions.length === 0) return 'that series has no releases yet';
  const distance = (v: Version) => (to ? Math.abs(v[2] - to[2]) : 0);
  const picks = [...versions].sort((a, b) => distance(a) - distance(b) || compareVersions(b, a)).slice(0, 3);
  return `the nearest are ${picks.map(formatVersion).join(', ')}`;
}

async function nearestSeries(series: string, sources: Sources): Promise<string> {
  const all = await withMirrors(sources.releaseMirrors, (base) => listSeries(base, sources.retry)).catch(() => [] as string[]);
  if (all.length === 0) return 'the release listing could not be read either';
  const target = parseVersion(series)!;
  const score = (s: string) => {
    const v = parseVersion(s)!;
    return Math.abs(v[0] * 100 + v[1] - (target[0] * 100 + target[1]));
  };
  return `the nearest series are ${[...all]
    .sort((a, b) => score(a) - score(b))
    .slice(0, 3)
    .join(', ')}`;
}

/** A 404 for a folder means "no such version": say that, not "404". */
async function notFoundOr(error: unknown, sentence: () => Promise<string>): Promise<never> {
  const notFound = failuresOf(error).some((e) => e instanceof HttpStatusError && e.status === 404);
  if (!notFound) throw error;
  throw new UserError(await sentence());
}
