import { formatDuration } from '../duration.js';
import { type ResultFile } from '../result-file/format.js';

/** The matrix's result files with each Blender's shards merged into one, what is wrong with them, and how balanced they were. */
export interface MergedShards {
  results: ResultFile[];
  /** the report fails on these: plans that differ, a shard missing or twice, a planned file run in no shard or in two */
  problems: string[];
  /** per sharded Blender: each shard's time and the balance */
  notes: string[];
}

/** Balance above this (slowest / mean) is off, and the note says why. */
const BALANCE_TARGET = 1.15;

interface Shard {
  file: string;
  result: ResultFile;
  record: NonNullable<ResultFile['shard']>;
}

/**
 * mode: report: the shards of one Blender (one version on one OS) become one result, as if one
 * job had run every file: the rows are the union of theirs. Checked first: one plan (the same
 * fingerprint), every shard there once, every planned file run in exactly one shard.
 */
export function mergeShards(files: { file: string; result: ResultFile }[]): MergedShards {
  const results: ResultFile[] = [];
  const problems: string[] = [];
  const notes: string[] = [];
  const groups = new Map<string, Shard[]>();
  for (const { file, result } of files) {
    if (!result.shard) {
      results.push(result);
      continue;
    }
    const key = `${result.blender.version ?? 'unknown'} ${result.os.platform} ${result.os.arch}`;
    groups.set(key, [...(groups.get(key) ?? []), { file, result, record: result.shard }]);
  }
  for (const shards of groups.values()) {
    shards.sort((a, b) => a.record.index - b.record.index || (a.file < b.file ? -1 : 1));
    const blender = `Blender ${shards[0]!.result.blender.version ?? 'of unknown version'}`;
    const found = checkShards(blender, shards);
    problems.push(...found);
    if (found.length === 0) notes.push(balanceNote(blender, shards));
    results.push(mergedResult(shards.map((s) => s.result)));
  }
  return { results, problems, notes };
}

function checkShards(blender: string, shards: Shard[]): string[] {
  const plans = new Set(shards.map((s) => `${s.record.fingerprint}/${s.record.total}`));
  if (plans.size > 1) {
    const each = shards.map((s) => `shard ${s.record.index}/${s.record.total} (${s.file}): plan ${s.record.fingerprint}`).join('; ');
    return [`${blender}: its shards were planned differently (${each}): give every job the same test files and shard-durations.`];
  }
  const problems: string[] = [];
  const total = shards[0]!.record.total;
  for (let index = 1; index <= total; index++) {
    const these = shards.filter((s) => s.record.index === index);
    if (these.length === 0) problems.push(`${blender}: the result file of shard ${index}/${total} is missing.`);
    if (these.length > 1) problems.push(`${blender}: shard ${index}/${total} has ${these.length} result files (${these.map((s) => s.file).join(', ')}).`);
  }
  for (const planned of shards) {
    for (const file of planned.record.files) {
      const ranIn = shards.filter((s) => ran(s.result, file)).map((s) => `${s.record.index}/${total}`);
      if (ranIn.length === 0) problems.push(`${blender}: ${file}, planned for shard ${planned.record.index}/${total}, ran in no shard.`);
      if (ranIn.length > 1) problems.push(`${blender}: ${file} ran in ${ranIn.length} shards (${ranIn.join(', ')}).`);
    }
  }
  return [...new Set(problems)];
}

/** Whether a job took a test file: it measured its time, or reported on it (a collection error, tests a crash kept from running). */
function ran(result: ResultFile, file: string): boolean {
  return (result.testFiles ?? []).some((t) => t.file === file) || result.results.some((r) => r.file === file);
}

function balanceNote(blender: string, shards: Shard[]): string {
  const times = shards.map((s) => s.result.timings.testsMs ?? 0);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const balance = mean > 0 ? Math.max(...times) / mean : 1;
  const note = `${blender}: ${shards.length} shards, their tests took ${times.map((ms) => formatDuration(ms)).join(', ')}; balance ${balance.toFixed(2)} (slowest / mean)`;
  if (balance <= BALANCE_TARGET) return `${note}.`;
  const first = shards[0]!.record;
  const why: string[] = [];
  if (first.byCount) why.push('split by count: no durations were given (shard-durations)');
  else if (first.withoutDuration > 0) why.push(`${first.withoutDuration} file${first.withoutDuration === 1 ? '' : 's'} had no duration`);
  const longest = shards
    .flatMap((s) => s.result.testFiles ?? [])
    .reduce<{ file: string; ms: number } | undefined>((a, b) => (!a || b.ms > a.ms ? b : a), undefined);
  if (longest && longest.ms > mean) why.push(`${longest.file} alone took ${formatDuration(longest.ms)}, more than a shard's mean`);
  if (why.length === 0) why.push('the files took other times than the durations the plan was made from');
  return `${note}, off because ${why.join('; ')}.`;
}

/** One result for the shards of one Blender, as one job that ran every file would have written it. */
function mergedResult(shards: ResultFile[]): ResultFile {
  const first = shards[0]!;
  const ran = shards.filter((s) => !s.verdict.skipped);
  const unclean = ran.find((s) => s.session.teardown !== 'graceful');
  const withPeak = shards.filter((s) => s.memory?.peakBytes !== undefined && s.memory.peakBytes !== null);
  const max = (values: (number | undefined)[]) =>
    values.some((v) => v !== undefined) ? Math.max(...values.filter((v): v is number => v !== undefined)) : undefined;
  const merged: ResultFile = {
    ...first,
    verdict: {
      ok: shards.every((s) => s.verdict.ok),
      failure: shards.find((s) => s.verdict.failure)?.verdict.failure,
      skipped: ran.length === 0 ? first.verdict.skipped : undefined,
      cancelled: shards.some((s) => s.verdict.cancelled),
    },
    session: {
      ready: ran.every((s) => s.session.ready),
      teardown: (unclean ?? ran[0])?.session.teardown,
      teardownSentence: (unclean ?? ran[0])?.session.teardownSentence,
      leftovers: shards.reduce((sum, s) => sum + s.session.leftovers, 0),
      logPath: first.session.logPath,
    },
    results: shards.flatMap((s) => s.results),
    deprecations: [
      ...new Map(shards.flatMap((s) => s.deprecations).map((d) => [JSON.stringify([d.source, d.category, d.message, d.file, d.line]), d])).values(),
    ],
    timings: {
      readyMs: max(shards.map((s) => s.timings.readyMs)),
      teardownMs: max(shards.map((s) => s.timings.teardownMs)),
      testsMs: max(shards.map((s) => s.timings.testsMs)),
    },
    health: ran.find((s) => s.health)?.health,
    addonErrors: ran.some((s) => s.addonErrors) ? ran.flatMap((s) => s.addonErrors ?? []) : undefined,
    leftovers: ran.some((s) => s.leftovers) ? ran.flatMap((s) => s.leftovers ?? []) : undefined,
    reloads: ran.find((s) => s.reloads)?.reloads,
    memory: withPeak.length > 0 ? withPeak.reduce((a, b) => (b.memory!.peakBytes! > a.memory!.peakBytes! ? b : a)).memory : first.memory,
    testFiles: shards.flatMap((s) => s.testFiles ?? []),
    parallelUnsafe: shards.some((s) => s.parallelUnsafe) ? shards.flatMap((s) => s.parallelUnsafe ?? []) : undefined,
  };
  delete merged.shard;
  return merged;
}
