import { createHash } from 'node:crypto';

/** `shard: 2/4`: this job is shard 2 of 4 (1-based). */
export interface ShardSpec {
  index: number;
  total: number;
}

/** "2/4" → {index 2, total 4}; undefined when it is not index/total with 1 ≤ index ≤ total. */
export function parseShard(text: string): ShardSpec | undefined {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const total = match ? Number(match[2]) : NaN;
  return match && total >= 1 && index >= 1 && index <= total ? { index, total } : undefined;
}

/** How the test files were split: the same files and durations give the same plan in every job. */
export interface ShardPlan {
  total: number;
  /** per shard (index 0 is shard 1): its files, in the order they run, and what they weigh */
  shards: { files: string[]; weightMs: number }[];
  /** the files and weights the plan was made from, hashed: shards that disagree on it are not one run */
  fingerprint: string;
  /** files with no duration in the data given (weighted by the median of the others) */
  withoutDuration: number;
  /** no file had a duration: split by count */
  byCount: boolean;
}

/**
 * Splits test files into `total` shards by their durations (from earlier runs): a file without
 * one weighs the median of those with one (every file weighs the same when none has one), then
 * longest first into the lightest shard (fewest files, then lowest index, on a tie). Files are
 * taken in name order within a weight, so the plan depends on nothing but the files and the
 * durations: every job of a matrix makes the same one, and a re-run job runs the same files.
 * With at least as many files as shards, no shard is left empty.
 */
export function planShards(files: string[], durations: ReadonlyMap<string, number>, total: number): ShardPlan {
  const unique = [...new Set(files)].sort();
  const known = unique.map((f) => durations.get(f)).filter((ms): ms is number => ms !== undefined && Number.isFinite(ms) && ms >= 0);
  const byCount = known.length === 0;
  const fallback = byCount ? 1 : median(known);
  const weights = unique.map((file) => {
    const ms = durations.get(file);
    return { file, ms: ms !== undefined && Number.isFinite(ms) && ms >= 0 ? ms : fallback };
  });
  const order = [...weights].sort((a, b) => b.ms - a.ms || (a.file < b.file ? -1 : 1));
  const shards = Array.from({ length: total }, () => ({ files: [] as string[], weightMs: 0 }));
  for (const { file, ms } of order) {
    const lightest = shards.reduce((best, shard) =>
      shard.weightMs < best.weightMs || (shard.weightMs === best.weightMs && shard.files.length < best.files.length) ? shard : best,
    );
    lightest.files.push(file);
    lightest.weightMs += ms;
  }
  for (const shard of shards) shard.files.sort();
  return {
    total,
    shards,
    fingerprint: createHash('sha256')
      .update(JSON.stringify({ total, weights: weights.map((w) => [w.file, Math.round(w.ms)]) }))
      .digest('hex')
      .slice(0, 16),
    withoutDuration: unique.length - known.length,
    byCount,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** What the result file keeps of a shard: enough for mode: report to merge the shards and check them. */
export interface ShardRecord {
  index: number;
  total: number;
  /** the plan's fingerprint: every shard of one run has the same */
  fingerprint: string;
  /** this shard's test files, as reports name them */
  files: string[];
  /** files the plan had no duration for */
  withoutDuration: number;
  /** no file had one: split by count */
  byCount: boolean;
}
