import path from 'node:path';
import { displayPath } from '../display-path.js';
import { formatDuration } from '../duration.js';
import type { ChosenDurations } from './durations.js';
import { type ShardPlan, type ShardRecord, type ShardSpec, planShards } from './plan.js';

/** This job's share: its test files, whether it runs the probes, the lines that say so, and the record. */
export interface ShardShare {
  /** this shard's files, as the tests input gave them (absolute) */
  testFiles: string[];
  /** the probes are the service's checks, not the suite's: shard 1 runs them */
  runsProbes: boolean;
  lines: string[];
  /** why this job has nothing to do (a shard the plan gave no file), when it has not */
  nothingToDo: string | undefined;
  record: ShardRecord;
}

/**
 * The plan for every shard, made here from the whole list (the test files as reports name
 * them, so every job keys them alike), and this job's part of it.
 */
export function shareOf(spec: ShardSpec, testFiles: string[], hasProbes: boolean, chosen: ChosenDurations, cwd = process.cwd()): ShardShare {
  const shown = new Map(testFiles.map((file) => [displayPath(path.resolve(cwd, file), cwd), file]));
  const plan = planShards([...shown.keys()], chosen.durations, spec.total);
  const mine = plan.shards[spec.index - 1]!;
  const runsProbes = spec.index === 1;
  const all = shown.size;
  return {
    testFiles: mine.files.map((file) => shown.get(file)!),
    runsProbes,
    lines: [
      shareSentence(spec, plan, mine, all, chosen.source),
      ...(!runsProbes && hasProbes ? [`The probes run in shard 1/${spec.total} only: they check the service, not the suite.`] : []),
    ],
    nothingToDo:
      mine.files.length === 0 && !runsProbes
        ? `Shard ${spec.index}/${spec.total} has no test file: the plan put ${all} file${all === 1 ? '' : 's'} into fewer shards.`
        : undefined,
    record: {
      index: spec.index,
      total: spec.total,
      fingerprint: plan.fingerprint,
      files: mine.files,
      withoutDuration: plan.withoutDuration,
      byCount: plan.byCount,
    },
  };
}

function shareSentence(spec: ShardSpec, plan: ShardPlan, mine: ShardPlan['shards'][number], all: number, source: string | undefined): string {
  const share = `Shard ${spec.index}/${spec.total}: ${mine.files.length} of ${all} test file${all === 1 ? '' : 's'}`;
  if (plan.byCount)
    return `${share}, split by count (no durations${source === undefined ? ' in shard-durations' : ' for these files'}; plan ${plan.fingerprint}).`;
  const total = plan.shards.reduce((sum, s) => sum + s.weightMs, 0);
  const missing = plan.withoutDuration > 0 ? `; ${plan.withoutDuration} without one, weighed as the median` : '';
  return `${share}, ${formatDuration(mine.weightMs)} of ${formatDuration(total)} by the durations ${source}${missing} (plan ${plan.fingerprint}).`;
}
