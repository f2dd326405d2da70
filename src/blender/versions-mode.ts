import { UserError } from '../errors.js';
import { describeFailure, withMirrors } from './catalog/http.js';
import { listLtsSeries } from './catalog/lts.js';
import { listSeries, listSeriesFolder } from './catalog/releases.js';
import type { Sources } from './resolve.js';
import { parseVersionSpec } from './spec.js';
import { compareVersions, formatVersion, newestFirst, parseVersion } from './version.js';

/**
 * Resolves a matrix list such as ">=3.6 lts, latest, daily" into exact versions, newest
 * first: ">=X.Y lts" is every LTS series from X.Y on, ">=X.Y" every series; each series
 * becomes its newest release. Daily specs stay as they are: the matrix job resolves them
 * when it runs, so it gets the newest build of that moment.
 */
export async function resolveVersionList(list: string, sources: Sources): Promise<string[]> {
  try {
    return await resolveItems(list, sources);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`Input 'versions' could not be resolved: ${describeFailure(error)}.`);
  }
}

async function resolveItems(list: string, sources: Sources): Promise<string[]> {
  const items = list
    .split(/[,\n]/)
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0) throw new UserError("Input 'versions' lists no versions.");
  const resolved: string[] = [];
  for (const item of items) {
    const range = /^>=\s*(\d+\.\d+)(\s+lts)?$/i.exec(item);
    if (range) {
      const floor = parseVersion(range[1]!)!;
      const series = range[2]
        ? await listLtsSeries(sources.versionsUrl, sources.retry)
        : await withMirrors(sources.releaseMirrors, (base) => listSeries(base, sources.retry));
      for (const s of series.filter((s) => compareVersions(parseVersion(s)!, floor) >= 0)) resolved.push(await newestIn(s, sources));
      continue;
    }
    const spec = parseVersionSpec(item, 'versions');
    if (spec.kind === 'daily' || spec.kind === 'system') resolved.push(item);
    else if (spec.kind === 'exact') resolved.push(formatVersion(spec.version));
    else if (spec.kind === 'series') resolved.push(await newestIn(spec.series, sources));
    else if (spec.kind === 'lts') resolved.push(await newestIn(newestOf(await listLtsSeries(sources.versionsUrl, sources.retry)), sources));
    else resolved.push(await newestIn(newestOf(await withMirrors(sources.releaseMirrors, (base) => listSeries(base, sources.retry))), sources));
  }
  const unique = [...new Set(resolved)];
  const exact = newestFirst(unique.filter((v) => parseVersion(v)));
  return [...exact, ...unique.filter((v) => !parseVersion(v))];
}

function newestOf(series: string[]): string {
  const newest = newestFirst(series)[0];
  if (!newest) throw new UserError("Input 'versions': no release series were found to choose from.");
  return newest;
}

async function newestIn(series: string, sources: Sources): Promise<string> {
  const { versions } = await withMirrors(sources.releaseMirrors, (base) => listSeriesFolder(base, series, sources.retry));
  if (versions.length === 0) throw new UserError(`Input 'versions': the Blender ${series} folder has no releases yet.`);
  return formatVersion(versions[0]!);
}
