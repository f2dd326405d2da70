import { describe, expect, it } from 'vitest';
import type { UnitTestOutcome } from '../../../src/addon-tests/run.js';
import { planWorkers, workerEnvironment } from '../../../src/addon-tests/worker-plan.js';
import { parallelUnsafeSentence, runFilesOnWorkers } from '../../../src/addon-tests/workers.js';
import { stepResult } from '../../helpers/results.js';

/** A file's outcome: one passing test per name, or a lost session. */
function outcome(file: string, tests: string[], sessionLost = false): UnitTestOutcome {
  return {
    results: tests.map((t) => stepResult(file, `${file}::${t}`, !sessionLost, 1, { kind: 'test' })),
    notRun: sessionLost ? [{ file, fileName: file, step: `${file}::after`, line: 9 }] : [],
    runner: 'unittest',
    sessionLost,
    collected: tests.length + (sessionLost ? 1 : 0),
    fileTimes: sessionLost ? [] : [{ file, ms: 10 }],
  };
}

const shown = (f: string) => f;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runFilesOnWorkers: one queue, several Blenders, one report', () => {
  it('a free worker takes the next file (a slow file does not hold the rest back); results in file order', async () => {
    const took: string[] = [];
    const run = await runFilesOnWorkers(
      ['a', 'b', 'c', 'd'],
      ['w1', 'w2'],
      async (worker, [file]) => {
        took.push(`${worker}:${file}`);
        await sleep(file === 'a' ? 60 : 5);
        return outcome(file!, ['t']);
      },
      shown,
    );
    expect(took).toEqual(['w1:a', 'w2:b', 'w2:c', 'w2:d']);
    expect(run.results.map((r) => r.step)).toEqual(['a::t', 'b::t', 'c::t', 'd::t']);
    expect(run).toMatchObject({ lost: [], untaken: [], runner: 'unittest' });
    expect(run.fileTimes.map((t) => t.file)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('one worker gets every file in one batch, as the suite’s own runner would run them', async () => {
    const batches: string[][] = [];
    await runFilesOnWorkers(
      ['a', 'b'],
      ['only'],
      async (_w, files) => {
        batches.push(files);
        return outcome(files.join('+'), ['t']);
      },
      shown,
    );
    expect(batches).toEqual([['a', 'b']]);
  });

  it('a worker that crashes fails its file and takes no more; the others take the rest; nothing is lost or counted twice', async () => {
    const run = await runFilesOnWorkers(
      ['a', 'b', 'c', 'd'],
      ['w1', 'w2'],
      async (worker, [file]) => {
        await sleep(worker === 'w1' ? 1 : 10);
        return outcome(file!, ['t'], file === 'a');
      },
      shown,
    );
    expect(run.lost).toEqual([0]);
    expect(run.results.map((r) => [r.step, r.passed])).toEqual([
      ['a::t', false],
      ['b::t', true],
      ['c::t', true],
      ['d::t', true],
    ]);
    expect(run.notRun.map((s) => s.step)).toEqual(['a::after']);
  });

  it('when every worker is lost, the files left are not run, each named', async () => {
    const run = await runFilesOnWorkers(['a', 'b', 'c'], ['w1'], async (_w, files) => outcome(files[0]!, ['t'], true), shown);
    // One worker: one batch with every file; the batch's own not-run list says what was left.
    expect(run.untaken).toEqual([]);
    const two = await runFilesOnWorkers(['a', 'b', 'c'], ['w1', 'w2'], async (_w, [file]) => outcome(file!, ['t'], true), shown);
    expect(two.untaken).toEqual(['c']);
    expect(two.notRun.map((s) => s.step)).toEqual(['a::after', 'b::after', 'c (every test in it)']);
  });

  it('no test in any file is one failed result for the whole run', async () => {
    const run = await runFilesOnWorkers(['a', 'b'], ['w1', 'w2'], async (_w, [file]) => outcome(file!, []), shown);
    expect(run.results).toEqual([
      expect.objectContaining({ step: 'no tests collected', passed: false, failure: expect.stringContaining('matched 2 files (a, b)') }),
    ]);
  });
});

describe('runFilesOnWorkers: a file that fails beside others runs once more, alone', () => {
  /** Workers that run each file as `verdict` says: a file fails while `collides` with it is running. */
  function suite(collides: Record<string, string>, failsAlone: string[] = []) {
    const log: string[] = [];
    const running = new Set<string>();
    const runBatch = async (worker: string, files: string[]) => {
      const file = files.join('+');
      running.add(file);
      log.push(`${worker}:${file}`);
      await sleep(20);
      const broken = failsAlone.includes(file) || (collides[file] !== undefined && running.has(collides[file]!));
      running.delete(file);
      return { ...outcome(file, ['t']), results: [stepResult(file, `${file}::t`, !broken, 1, { kind: 'test' })] };
    };
    return { log, runBatch };
  }

  it('passing alone, the file passes (the sequential verdict) and is named with the files beside it; the retry comes after the rest', async () => {
    const { log, runBatch } = suite({ a: 'b' });
    const settled: string[] = [];
    const run = await runFilesOnWorkers(['a', 'b', 'c'], ['w1', 'w2'], runBatch, shown, (o) =>
      settled.push(o.results.map((r) => `${r.step}:${r.passed}`).join()),
    );
    expect(log).toEqual(['w1:a', 'w2:b', 'w1:c', 'w1:a']);
    expect(run.results.map((r) => [r.step, r.passed])).toEqual([
      ['a::t', true],
      ['b::t', true],
      ['c::t', true],
    ]);
    expect(run.parallelUnsafe).toEqual([{ file: 'a', ranWith: ['b'], test: 'a::t', failure: expect.any(String), aloneMs: expect.any(Number) }]);
    // Each file heard once, the retried one with its final outcome, after the others.
    expect(settled).toEqual(['b::t:true', 'c::t:true', 'a::t:true']);
  });

  it('a file an earlier run found not parallel-safe runs alone after the rest, with no attempt beside them, and is named again', async () => {
    const { log, runBatch } = suite({ a: 'b' });
    const run = await runFilesOnWorkers(['a', 'b', 'c'], ['w1', 'w2'], runBatch, shown, undefined, new Set(['a']));
    expect(log).toEqual(['w1:b', 'w2:c', 'w1:a']);
    expect(run.results.map((r) => [r.step, r.passed])).toEqual([
      ['a::t', true],
      ['b::t', true],
      ['c::t', true],
    ]);
    expect(run.parallelUnsafe).toEqual([{ file: 'a', ranWith: [], test: '', failure: undefined, aloneMs: expect.any(Number), remembered: true }]);
    // one worker: one batch, as before (nothing runs beside anything)
    const one = suite({});
    await runFilesOnWorkers(['a', 'b'], ['w1'], one.runBatch, shown, undefined, new Set(['a']));
    expect(one.log).toEqual(['w1:a+b']);
  });

  it('a remembered file no worker is left for is untaken, not lost', async () => {
    const run = await runFilesOnWorkers(['a', 'b', 'c'], ['w1', 'w2'], async (_w, [file]) => outcome(file!, ['t'], true), shown, undefined, new Set(['a']));
    expect(run.untaken).toEqual(['a']);
    expect(run.notRun.map((n) => n.step)).toContain('a (every test in it)');
  });

  it('failing alone too, its first results stand and it is not named', async () => {
    const { log, runBatch } = suite({}, ['a']);
    const run = await runFilesOnWorkers(['a', 'b'], ['w1', 'w2'], runBatch, shown);
    expect(log).toEqual(['w1:a', 'w2:b', 'w1:a']);
    expect(run.results.map((r) => [r.step, r.passed])).toEqual([
      ['a::t', false],
      ['b::t', true],
    ]);
    expect(run.parallelUnsafe).toEqual([]);
  });

  it('no retry with one worker, for a file that ran with nothing beside it, or for a crash', async () => {
    const one = suite({}, ['a']);
    await runFilesOnWorkers(['a'], ['w1'], one.runBatch, shown);
    expect(one.log).toEqual(['w1:a']);

    // Two workers, one file: nothing ran beside it.
    const alone = suite({}, ['a']);
    const run = await runFilesOnWorkers(['a'], ['w1', 'w2'], alone.runBatch, shown);
    expect(alone.log).toEqual(['w1:a']);
    expect(run.parallelUnsafe).toEqual([]);

    let calls = 0;
    const crashed = await runFilesOnWorkers(
      ['a', 'b'],
      ['w1', 'w2'],
      async (_w, [file]) => {
        calls += 1;
        await sleep(10);
        return outcome(file!, ['t'], file === 'a');
      },
      shown,
    );
    expect(calls).toBe(2);
    expect(crashed.parallelUnsafe).toEqual([]);
  });
});

describe('parallelUnsafeSentence', () => {
  it('a remembered file: that it ran alone and why', () => {
    expect(parallelUnsafeSentence({ file: 'tests/test_model_edit.py', ranWith: [], test: '', failure: undefined, aloneMs: 15600, remembered: true })).toBe(
      'tests/test_model_edit.py ran alone, after the other files (15.6s): an earlier run found it not parallel-safe (shard-durations), so it was not tried beside them; give each file its own output folder to let it run in parallel.',
    );
  });

  it('what failed beside what, that it passed alone and what that cost, and what to do', () => {
    expect(
      parallelUnsafeSentence({
        file: 'tests/test_a.py',
        ranWith: ['tests/test_b.py'],
        test: 'test_a.py::A::test_x',
        failure: 'AssertionError: gone',
        aloneMs: 1500,
      }),
    ).toBe(
      'tests/test_a.py is not parallel-safe: test_a.py::A::test_x failed while tests/test_b.py ran beside it (AssertionError: gone), and passed when run again alone (1.5s), so it passes, as in a sequential loop; give each file its own output folder, or run with test-workers: 1.',
    );
    expect(parallelUnsafeSentence({ file: 'a', ranWith: ['b', 'c', 'd', 'e', 'f'], test: 'a::t', failure: undefined, aloneMs: 20 })).toMatch(
      /^a is not parallel-safe: a::t failed while b, c, d and 2 more ran beside it, and passed/,
    );
  });
});

describe('planWorkers', () => {
  it('auto is the cores, never more workers than files', () => {
    expect(planWorkers('auto', 10, 4, undefined, false)).toEqual({ count: 4, note: undefined });
    expect(planWorkers('auto', 3, 8, undefined, false).count).toBe(3);
    expect(planWorkers(6, 2, 8, undefined, false).count).toBe(2);
    expect(planWorkers(1, 0, 8, undefined, false).count).toBe(1);
  });

  it('an add-on on a port needs worker-env for more than one worker; without it, one, and why', () => {
    expect(planWorkers(2, 5, 2, 6688, true)).toEqual({ count: 2, note: undefined });
    expect(planWorkers(2, 5, 2, 6688, false)).toEqual({
      count: 1,
      note: 'The tests run on one worker, not 2: the add-on serves on port 6688, which only one Blender can open; name the variable it reads its port from in worker-env (e.g. MY_ADDON_PORT={port}) to give each worker its own.',
    });
    expect(workerEnvironment({ MY_ADDON_PORT: '{port}', URL: 'http://127.0.0.1:{port}/w{worker}' }, 41000, 2)).toEqual({
      MY_ADDON_PORT: '41000',
      URL: 'http://127.0.0.1:41000/w2',
    });
  });
});
