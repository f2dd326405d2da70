import path from 'node:path';
import type { NotRunStep, StepResult } from '../probes/results.js';
import { NOTHING_COLLECTED, type UnitTestOutcome, nothingToTest, testResult } from './run.js';

/** What the test files came to, over every worker, in the order of the files. */
export interface WorkersOutcome {
  results: StepResult[];
  notRun: NotRunStep[];
  runner: string | undefined;
  /** the workers (by index) that crashed or hung: they took no file after that one */
  lost: number[];
  /** files no worker could take (every one was lost): not run, none of their tests known */
  untaken: string[];
}

/**
 * Runs the test files on the workers from one shared queue: a worker takes the next file as
 * soon as it is done with one (no split made in advance, so one slow file does not leave
 * the others idle). A file's tests stay together, in one Blender. With one worker the files
 * go as one batch (one runner call, as the suite's own runner would make). A worker whose
 * Blender crashed or hung takes no more; the others take the rest. The results come back in
 * the files' order, whoever ran them; a run with no test at all is one failed result.
 * `runBatch` reports results itself as they arrive; `shown` names a file as reports do.
 */
export async function runFilesOnWorkers<W>(
  files: string[],
  workers: W[],
  runBatch: (worker: W, files: string[], workerIndex: number) => Promise<UnitTestOutcome>,
  shown: (file: string) => string,
): Promise<WorkersOutcome> {
  const batches = workers.length === 1 ? [files] : files.map((file) => [file]);
  const queue = batches.map((batch, index) => ({ batch, index }));
  const done = new Map<number, UnitTestOutcome>();
  const lost: number[] = [];
  await Promise.all(
    workers.map(async (worker, workerIndex) => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const outcome = await runBatch(worker, next.batch, workerIndex);
        done.set(next.index, outcome);
        if (outcome.sessionLost) {
          lost.push(workerIndex);
          return;
        }
      }
    }),
  );
  const inOrder = batches.map((_, index) => done.get(index)).filter((o): o is UnitTestOutcome => o !== undefined);
  const results = inOrder.flatMap((o) => o.results);
  const collected = inOrder.reduce((sum, o) => sum + o.collected, 0);
  const nothing = nothingToTest(files.map(shown), collected, results.length);
  const untaken = queue.flatMap((q) => q.batch);
  return {
    results: nothing ? [testResult(NOTHING_COLLECTED, shown(files[0]!), 1, false, { failure: nothing })] : results,
    notRun: [...inOrder.flatMap((o) => o.notRun), ...untaken.map((file) => untakenFile(shown(file)))],
    runner: inOrder.find((o) => o.runner)?.runner,
    lost: lost.sort((a, b) => a - b),
    untaken,
  };
}

/** A file whose tests never ran because every worker was lost before it: one not-run entry for the file. */
function untakenFile(file: string): NotRunStep {
  return { file, fileName: path.basename(file), step: `${path.basename(file)} (every test in it)`, line: 1 };
}
