import { type Platform, archiveKindOf, builderPlatform } from '../platform.js';
import type { Risk } from '../spec.js';
import { type Version, compareVersions, parseVersion } from '../version.js';
import { type RetryOptions, getText } from './http.js';

/** One entry of the builder's JSON listing (https://builder.blender.org/download/daily/?format=json&v=1). */
interface BuilderEntry {
  url: string;
  version: string;
  risk_id: string;
  branch: string;
  hash: string;
  platform: string;
  architecture: string;
  file_mtime: number;
  file_name: string;
  file_extension: string;
}

export interface DailyBuild {
  version: Version;
  /** the commit hash: part of the cache key, so a new build is a new cache entry */
  hash: string;
  branch: string;
  risk: string;
  fileName: string;
  url: string;
  checksumUrl: string;
}

/** "4.5" → the builder's branch name for it ("v45"); main for undefined. */
function branchFor(series: string | undefined): string {
  return series === undefined ? 'main' : `v${series.replace('.', '')}`;
}

/** The newest daily build for a branch (and risk), for this platform, or undefined. */
export async function findDailyBuild(
  dailyUrl: string,
  platform: Platform,
  series: string | undefined,
  risk: Risk | undefined,
  retry?: RetryOptions,
): Promise<{ build: DailyBuild | undefined; branches: string[] }> {
  const entries = JSON.parse(await getText(dailyUrl, retry)) as BuilderEntry[];
  const target = builderPlatform(platform);
  const archives = entries.filter((e) => e.platform === target.platform && e.architecture === target.architecture && archiveKindOf(e.file_name) !== undefined);
  const branch = branchFor(series);
  const matching = archives.filter((e) => e.branch === branch && (risk === undefined || e.risk_id === risk));
  matching.sort((a, b) => compareVersions(parseVersion(b.version) ?? [0, 0, 0], parseVersion(a.version) ?? [0, 0, 0]) || b.file_mtime - a.file_mtime);
  const newest = matching[0];
  const branches = [...new Set(archives.map((e) => e.branch))].sort();
  if (!newest) return { build: undefined, branches };
  return {
    build: {
      version: parseVersion(newest.version) ?? [0, 0, 0],
      hash: newest.hash,
      branch: newest.branch,
      risk: newest.risk_id,
      fileName: newest.file_name,
      url: newest.url,
      checksumUrl: `${newest.url}.sha256`,
    },
    branches,
  };
}
