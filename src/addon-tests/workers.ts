import path from 'node:path';
import { formatDuration } from '../duration.js';
import type { NotRunStep, StepResult } from '../probes/results.js';
import { type FileTime, NOTHING_COLLECTED, type UnitTestOutcome, nothingToTest, testResult } from './run.js';

/** What the test files came to, over every worker, in the order of the files. */
export interface WorkersOutcome {
  results: StepResult[];
  notRun: NotRunStep[];
  runner: string | undefined;
  /** the workers (by index) that crashed or hung: they took no file after that one */
  lost: number[];
  /** files no worker could take (every one was lost): not run, none of their tests known */
  untaken: string[];
  /** files that failed beside others and passed alone: the verdict is the sequential one */
  parallelUnsafe: ParallelUnsafeFile[];
  /** each file's time, in the files' order (a file run again alone: its time alone) */
  fileTimes: FileTime[];
}

/** A test file that failed while other files ran beside it, and passed when run alone. */
export interface ParallelUnsafeFile {
  /** as reports name it */
  file: string;
  /** the files that ran at the same time, as reports name them */
  ranWith: string[];
  /** the first test that failed beside them, and how */
  test: string;
  failure: string | undefined;
  /** the run alone: what the retry cost (remembered: what its run alone took) */
  aloneMs: number;
  /** an earlier run found it so (shard-durations): it ran alone from the start, never beside others */
  remembered?: boolean;
}

/**
 * Runs the test files on the workers from one shared queue: a worker takes the next file as
 * soon as it is done with one (no split made in advance, so one slow file does not leave
 * the others idle). A file's tests stay together, in one Blender. With one worker the files
 * go as one batch (one runner call, as the suite's own runner would make). A worker whose
 * Blender crashed or hung takes no more; the others take the rest. The results come back in
 * the files' order, whoever ran them; a run with no test at all is one failed result.
 *
 * Suites written for a sequential loop are not always parallel-safe (every file empties a
 * shared output folder): a file that fails while others ran beside it is run once more,
 * alone, once every other file is done. Passing alone, its verdict is the sequential one and
 * it is named as not parallel-safe; failing alone too, its first results stand. Nothing is
 * retried with one worker, and nothing for any other reason (a crash, a hang).
 *
 * A file an earlier run found not parallel-safe (`knownUnsafe`, as reports name files: from
 * shard-durations) is not tried beside others at all: it runs alone once the rest are done,
 * without the failed attempt first, and is named as not parallel-safe again (so the next run
 * remembers it too).
 *
 * `runBatch` runs a batch (and may report its results as they arrive); `settled` hears each
 * batch's final outcome (after its retry, if it had one); `shown` names a file as reports do.
 */
export async function runFilesOnWorkers<W>(
  files: string[],
  workers: W[],
  runBatch: (worker: W, files: string[], workerIndex: number) => Promise<UnitTestOutcome>,
  shown: (file: string) => string,
  settled: (outcome: UnitTestOutcome) => void = () => {},
  knownUnsafe: ReadonlySet<string> = new Set(),
): Promise<WorkersOutcome> {
  const batches = workers.length === 1 ? [files] : files.map((file) => [file]);
  const aloneFirst = workers.length === 1 ? [] : batches.flatMap((batch, index) => (knownUnsafe.has(shown(batch[0]!)) ? [index] : []));
  const queue = batches.map((batch, index) => ({ batch, index })).filter(({ index }) => !aloneFirst.includes(index));
  const done = new Map<number, UnitTestOutcome>();
  const lost: number[] = [];
  const overlap = new Overlaps();
  const retries: number[] = [];
  await Promise.all(
    workers.map(async (worker, workerIndex) => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        overlap.started(next.index);
        const outcome = await runBatch(worker, next.batch, workerIndex);
        overlap.ended(next.index);
        done.set(next.index, outcome);
        if (failedBeside(outcome, overlap.with(next.index))) retries.push(next.index);
        else settled(outcome);
        if (outcome.sessionLost) {
          lost.push(workerIndex);
          return;
        }
      }
    }),
  );
  const state = { workers, batches, done, lost, overlap, runBatch, shown, settled };
  const parallelUnsafe = [...(await runRememberedAlone(aloneFirst, state)), ...(await runAloneAgain(retries, state))];
  const inOrder = batches.map((_, index) => done.get(index)).filter((o): o is UnitTestOutcome => o !== undefined);
  const results = inOrder.flatMap((o) => o.results);
  const collected = inOrder.reduce((sum, o) => sum + o.collected, 0);
  const nothing = nothingToTest(files.map(shown), collected, results.length);
  const untaken = batches.filter((_, index) => !done.has(index)).flat();
  return {
    results: nothing ? [testResult(NOTHING_COLLECTED, shown(files[0]!), 1, false, { failure: nothing })] : results,
    notRun: [...inOrder.flatMap((o) => o.notRun), ...untaken.map((file) => untakenFile(shown(file)))],
    runner: inOrder.find((o) => o.runner)?.runner,
    lost: lost.sort((a, b) => a - b),
    untaken,
    parallelUnsafe,
    fileTimes: inOrder.flatMap((o) => o.fileTimes),
  };
}

/** What the retry needs of the queue's run: the batches, their outcomes so far, who was lost, who ran beside whom. */
interface QueueState<W> {
  workers: W[];
  batches: string[][];
  done: Map<number, UnitTestOutcome>;
  lost: number[];
  overlap: Overlaps;
  runBatch: (worker: W, files: string[], workerIndex: number) => Promise<UnitTestOutcome>;
  shown: (file: string) => string;
  settled: (outcome: UnitTestOutcome) => void;
}

/**
 * The batches that failed beside others, each run once more on a live worker with nothing
 * else running. One that passes alone takes the place of its first outcome and is named as not
 * parallel-safe; one that fails again keeps its first outcome. Each is settled either way.
 */
async function runAloneAgain<W>(retries: number[], queue: QueueState<W>): Promise<ParallelUnsafeFile[]> {
  const { workers, batches, done, lost, overlap, runBatch, shown, settled } = queue;
  const parallelUnsafe: ParallelUnsafeFile[] = [];
  for (const index of [...retries].sort((a, b) => a - b)) {
    const first = done.get(index)!;
    const alive = workers.findIndex((_, i) => !lost.includes(i));
    if (alive < 0) {
      settled(first);
      continue;
    }
    const since = performance.now();
    const alone = await runBatch(workers[alive]!, batches[index]!, alive);
    if (alone.sessionLost) lost.push(alive);
    const passedAlone = !alone.sessionLost && alone.results.length > 0 && alone.results.every((r) => r.passed);
    if (passedAlone) {
      const failed = first.results.find((r) => !r.passed)!;
      parallelUnsafe.push({
        file: shown(batches[index]![0]!),
        ranWith: overlap.with(index).map((other) => shown(batches[other]![0]!)),
        test: failed.step,
        failure: failed.failure,
        aloneMs: performance.now() - since,
      });
      done.set(index, alone);
    }
    settled(done.get(index)!);
  }
  return parallelUnsafe;
}

/** The batches an earlier run found not parallel-safe: each run alone on a live worker, now that nothing else runs. */
async function runRememberedAlone<W>(indexes: number[], queue: QueueState<W>): Promise<ParallelUnsafeFile[]> {
  const { workers, batches, done, lost, runBatch, shown, settled } = queue;
  const remembered: ParallelUnsafeFile[] = [];
  for (const index of indexes) {
    const alive = workers.findIndex((_, i) => !lost.includes(i));
    if (alive < 0) return remembered; // untaken, like the rest of a queue no worker is left for
    const since = performance.now();
    const alone = await runBatch(workers[alive]!, batches[index]!, alive);
    if (alone.sessionLost) lost.push(alive);
    done.set(index, alone);
    remembered.push({ file: shown(batches[index]![0]!), ranWith: [], test: '', failure: undefined, aloneMs: performance.now() - since, remembered: true });
    settled(alone);
  }
  return remembered;
}

/** The warning for a file that is not parallel-safe: what failed beside what, and what to do. */
export function parallelUnsafeSentence(file: ParallelUnsafeFile): string {
  if (file.remembered) {
    return `${file.file} ran alone, after the other files (${formatDuration(file.aloneMs)}): an earlier run found it not parallel-safe (shard-durations), so it was not tried beside them; give each file its own output folder to let it run in parallel.`;
  }
  const beside = file.ranWith.length <= 3 ? file.ranWith.join(', ') : `${file.ranWith.slice(0, 3).join(', ')} and ${file.ranWith.length - 3} more`;
  return (
    `${file.file} is not parallel-safe: ${file.test} failed while ${beside} ran beside it${file.failure ? ` (${file.failure})` : ''}, ` +
    `and passed when run again alone (${formatDuration(file.aloneMs)}), so it passes, as in a sequential loop; give each file its own output folder, or run with test-workers: 1.`
  );
}

/** A batch that failed a test (its Blender still there) while others ran beside it: worth one run alone. */
function failedBeside(outcome: UnitTestOutcome, ranWith: number[]): boolean {
  return ranWith.length > 0 && !outcome.sessionLost && outcome.results.some((r) => !r.passed);
}

/** Which batches ran at the same time: two overlap when one started while the other was running. */
class Overlaps {
  private readonly running = new Set<number>();
  private readonly beside = new Map<number, Set<number>>();

  started(index: number): void {
    for (const other of this.running) {
      this.of(index).add(other);
      this.of(other).add(index);
    }
    this.running.add(index);
  }

  ended(index: number): void {
    this.running.delete(index);
  }

  with(index: number): number[] {
    return [...this.of(index)].sort((a, b) => a - b);
  }

  private of(index: number): Set<number> {
    let set = this.beside.get(index);
    if (!set) this.beside.set(index, (set = new Set()));
    return set;
  }
}

/** A file whose tests never ran because every worker was lost before it: one not-run entry for the file. */
function untakenFile(file: string): NotRunStep {
  return { file, fileName: path.basename(file), step: `${path.basename(file)} (every test in it)`, line: 1 };
}
