import { compareVersions, formatVersion, newestFirst, parseVersion, type Version } from '../version.js';
import { type RetryOptions, getText } from './http.js';

/** Links in an HTML directory listing (Apache/nginx autoindex, what blender.org serves). */
function listingLinks(html: string): string[] {
  return [...html.matchAll(/href="([^"?#]+)"/gi)]
    .map((m) => decodeURIComponent(m[1]!))
    .filter((href) => !href.startsWith('/') && !href.startsWith('..') && !href.includes('://'));
}

/** Every "BlenderX.Y/" folder in the release root, newest first. */
export async function listSeries(base: string, retry?: RetryOptions): Promise<string[]> {
  const links = listingLinks(await getText(`${base}/`, retry));
  const series = links.map((l) => /^Blender(\d+\.\d+)\/?$/.exec(l)?.[1]).filter((s): s is string => s !== undefined);
  return newestFirst([...new Set(series)]);
}

/** One series folder: the versions released in it (any platform) and the files it holds. */
export interface SeriesListing {
  versions: Version[];
  files: Set<string>;
}

export async function listSeriesFolder(base: string, series: string, retry?: RetryOptions): Promise<SeriesListing> {
  const files = new Set(listingLinks(await getText(`${base}/Blender${series}/`, retry)));
  const found = new Map<string, Version>();
  for (const file of files) {
    const version = parseVersion(/^blender-(\d+\.\d+\.\d+)[-.]/.exec(file)?.[1] ?? '');
    if (version && `${version[0]}.${version[1]}` === series) found.set(formatVersion(version), version);
  }
  return { versions: [...found.values()].sort((a, b) => compareVersions(b, a)), files };
}

/** The hash for `fileName` in a sha256sum-format file ("<hex>  <name>" per line). */
export function checksumFor(sha256File: string, fileName: string): string | undefined {
  for (const line of sha256File.split('\n')) {
    const match = /^([0-9a-f]{64})\s+\*?(.+?)\s*$/i.exec(line);
    if (match && match[2] === fileName) return match[1]!.toLowerCase();
  }
  return undefined;
}
