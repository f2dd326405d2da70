import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { parseVersion } from '../blender/version.js';
import { displayPath } from '../display-path.js';
import { UserError } from '../errors.js';
import { expandPatterns } from '../globs.js';
import { type ResultFile, parseResultFile } from '../result-file/format.js';

/**
 * The durations file (durations-path): each test file's measured time, per Blender, written by
 * `mode: report` for the next run's shard-durations. Its one definition: the writer builds it
 * through this schema and the reader reads it back through it.
 */
const DurationsFileSchema = z.object({
  durations: z.literal(1),
  /** Blender version → test file (as reports name it) → milliseconds */
  blenders: z.record(z.string(), z.record(z.string(), z.number())),
  /** test files (as reports name them) found not parallel-safe on test workers: the next run runs them alone (absent: none) */
  parallelUnsafe: z.array(z.string()).optional(),
});
type DurationsFile = z.infer<typeof DurationsFileSchema>;

/** Test file → milliseconds, per Blender version. */
export type DurationsByBlender = Map<string, Map<string, number>>;

/** What the result files measured, per Blender (a file seen twice for one Blender: the later file's time). */
export function durationsOfResults(results: ResultFile[]): DurationsByBlender {
  const byBlender: DurationsByBlender = new Map();
  for (const result of results) {
    const version = result.blender.version ?? 'unknown';
    const files = byBlender.get(version) ?? new Map<string, number>();
    for (const { file, ms } of result.testFiles ?? []) files.set(file, ms);
    if (files.size > 0) byBlender.set(version, files);
  }
  return byBlender;
}

/** The test files the result files name as not parallel-safe (found so, or run alone because an earlier run had), sorted. */
export function parallelUnsafeOfResults(results: ResultFile[]): string[] {
  return [...new Set(results.flatMap((r) => (r.parallelUnsafe ?? []).map((f) => f.file)))].sort();
}

/** The durations file's text, versions and files sorted (it is committed to a cache, read by people too). */
export function durationsFileText(byBlender: DurationsByBlender, parallelUnsafe: string[] = []): string {
  const blenders: DurationsFile['blenders'] = {};
  for (const version of [...byBlender.keys()].sort()) {
    blenders[version] = Object.fromEntries([...byBlender.get(version)!].sort(([a], [b]) => (a < b ? -1 : 1)).map(([file, ms]) => [file, Math.round(ms)]));
  }
  const unsafe = parallelUnsafe.length > 0 ? { parallelUnsafe: [...parallelUnsafe].sort() } : {};
  return `${JSON.stringify(DurationsFileSchema.parse({ durations: 1, blenders, ...unsafe }), null, 2)}\n`;
}

/** What earlier runs tell this one: each test file's time per Blender, and the files that are not parallel-safe. */
export interface EarlierRuns {
  durations: DurationsByBlender;
  /** as reports name them */
  parallelUnsafe: Set<string>;
}

/**
 * shard-durations: result files of an earlier run, or durations files, read and merged per
 * Blender, with the files they name as not parallel-safe. A file that is neither is one
 * sentence naming it; no file matching is none at all (the first run of a new suite has no
 * durations: the plan goes by count, every file may run beside others).
 */
export async function readEarlierRuns(patterns: string[], cwd = process.cwd()): Promise<EarlierRuns> {
  const merged: DurationsByBlender = new Map();
  const parallelUnsafe = new Set<string>();
  if (patterns.length === 0) return { durations: merged, parallelUnsafe };
  const files = await expandPatterns(patterns, cwd, 'shard-durations').catch(() => [] as string[]);
  for (const file of files) {
    const shown = displayPath(file, cwd);
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UserError(`Input 'shard-durations': ${shown} could not be read (${error.code ?? error.message}).`);
    });
    const earlier = parseEarlierRun(text, shown);
    for (const [version, durations] of earlier.durations) {
      const into = merged.get(version) ?? new Map<string, number>();
      for (const [test, ms] of durations) into.set(test, ms);
      merged.set(version, into);
    }
    for (const file of earlier.parallelUnsafe) parallelUnsafe.add(file);
  }
  return { durations: merged, parallelUnsafe };
}

function parseEarlierRun(text: string, shown: string): EarlierRuns {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UserError(`Input 'shard-durations': ${shown} is not JSON: give result files (result-path) or a durations file (durations-path).`);
  }
  const asDurations = DurationsFileSchema.safeParse(data);
  if (asDurations.success) {
    return {
      durations: new Map(Object.entries(asDurations.data.blenders).map(([version, files]) => [version, new Map(Object.entries(files))])),
      parallelUnsafe: new Set(asDurations.data.parallelUnsafe ?? []),
    };
  }
  const asResult = parseResultFile(text, shown);
  if (typeof asResult === 'string') throw new UserError(`Input 'shard-durations': ${asResult.replace(/\.$/, '')}, nor a durations file (durations-path).`);
  return { durations: durationsOfResults([asResult]), parallelUnsafe: new Set(parallelUnsafeOfResults([asResult])) };
}

/** The durations a Blender's plan goes by, and which Blender's they are (one line for the log). */
export interface ChosenDurations {
  durations: Map<string, number>;
  /** "measured on Blender 4.3.2", "measured on Blender 4.3.1 (the same series)", … or undefined when there are none */
  source: string | undefined;
}

/**
 * The data for this Blender: its own version's ("5.2.2 LTS" is 5.2.2); else the same series' (4.3.1 for 4.3.2; the
 * lowest such version, so every job picks the same); else, when only one Blender was measured,
 * that one's; else each file's median over the Blenders measured. Every job of one Blender
 * gets the same answer from the same data: the plan stays the same in every job.
 */
export function durationsFor(byBlender: DurationsByBlender, version: string | undefined): ChosenDurations {
  const versions = [...byBlender.keys()].sort();
  if (versions.length === 0) return { durations: new Map(), source: undefined };
  // Result files name the version as Blender says it ("5.2.2 LTS"), a download as its number.
  const number = (v: string) => v.split(/[-\s]/)[0]!;
  const own = version ? versions.find((v) => number(v) === number(version)) : undefined;
  if (own) return { durations: byBlender.get(own)!, source: `measured on Blender ${own}` };
  const series = (v: string) => parseVersion(number(v))?.slice(0, 2).join('.');
  const same = version ? versions.find((v) => series(v) !== undefined && series(v) === series(version)) : undefined;
  if (same) return { durations: byBlender.get(same)!, source: `measured on Blender ${same} (the same series)` };
  if (versions.length === 1) return { durations: byBlender.get(versions[0]!)!, source: `measured on Blender ${versions[0]}` };
  const files = new Set(versions.flatMap((v) => [...byBlender.get(v)!.keys()]));
  const median = new Map<string, number>();
  for (const file of [...files].sort()) {
    const values = versions
      .map((v) => byBlender.get(v)!.get(file))
      .filter((ms): ms is number => ms !== undefined)
      .sort((a, b) => a - b);
    const middle = Math.floor(values.length / 2);
    median.set(file, values.length % 2 === 1 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2);
  }
  return { durations: median, source: `each file's median over Blenders ${versions.join(', ')}` };
}
