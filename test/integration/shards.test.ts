import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import type { RawInputs } from '../../src/inputs/declarations.js';
import { type MatrixReport, rowName } from '../../src/report/matrix.js';
import { runAndReport } from '../../src/run-and-report.js';
import { describeOnEachBlender } from '../helpers/blender.js';
import { FIXTURES } from '../helpers/fixture-run.js';
import { RecordingReporter } from '../helpers/recording-reporter.js';

const SUITE = path.join(FIXTURES, 'unit-tests', 'shardable');
const ADDON = path.join(FIXTURES, 'addons', 'inpkg');

/** The table's rows as name → outcome, sorted: what one job and the merged shards must agree on. */
const rowsOf = (report: MatrixReport | undefined) =>
  (report?.rows ?? []).map((row) => [rowName(row), [...row.cells.values()].map((c) => c.outcome).join()] as const).sort(([a], [b]) => (a < b ? -1 : 1));

describeOnEachBlender('a suite split over shards, merged back by mode: report', (blender) => {
  it('3 shards planned by the durations of a first run, merged, give the rows one job gives; shards planned differently fail the report', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-shards-'));
    const run = async (name: string, extra: RawInputs = {}) => {
      const reporter = new RecordingReporter();
      const outcome = await runAndReport(
        { addon: ADDON, 'blender-path': blender.executable, tests: [SUITE], 'test-runner': 'unittest', 'result-path': path.join(dir, name), ...extra },
        reporter,
      );
      return { outcome, reporter };
    };
    const report = async (...names: string[]) => {
      const reporter = new RecordingReporter();
      const outcome = await runAndReport(
        { mode: 'report', results: names.map((n) => path.join(dir, n)), 'durations-path': path.join(dir, 'durations.json') },
        reporter,
      );
      return { outcome, reporter };
    };

    const whole = await run('whole.json');
    expect(whole.outcome.ok).toBe(true);
    const one = await report('whole.json');
    const durations = JSON.parse(await readFile(path.join(dir, 'durations.json'), 'utf8')) as { blenders: Record<string, Record<string, number>> };
    const measured = Object.values(durations.blenders)[0]!;
    expect(Object.keys(measured).map((f) => path.basename(f))).toEqual([
      'test_part_1.py',
      'test_part_2.py',
      'test_part_3.py',
      'test_part_4.py',
      'test_part_5.py',
    ]);
    expect(Object.entries(measured).find(([f]) => f.endsWith('test_part_3.py'))![1]).toBeGreaterThanOrEqual(500);

    const shards = [];
    for (const index of [1, 2, 3])
      shards.push(await run(`shard-${index}.json`, { shard: `${index}/3`, 'shard-durations': [path.join(dir, 'durations.json')] }));
    // The heavy file has a shard to itself; the other four share the two others (as their times fall).
    const planned = shards.map((s) => s.outcome.shard!.files.map((f) => path.basename(f)));
    expect(planned[0]).toEqual(['test_part_3.py']);
    expect(planned.flat().sort()).toEqual(['test_part_1.py', 'test_part_2.py', 'test_part_3.py', 'test_part_4.py', 'test_part_5.py']);
    expect(shards[1]!.reporter.infoLines).toContainEqual(
      expect.stringMatching(/^Shard 2\/3: \d of 5 test files?, .* by the durations measured on Blender [^()]+ \(plan [0-9a-f]{16}\)\.$/),
    );
    const merged = await report('shard-1.json', 'shard-2.json', 'shard-3.json');
    expect(merged.outcome.ok).toBe(true);
    expect(merged.reporter.matrixReport?.columns).toHaveLength(1);
    expect(rowsOf(merged.reporter.matrixReport)).toEqual(rowsOf(one.reporter.matrixReport));
    expect(merged.reporter.matrixReport?.notes).toEqual([
      expect.stringMatching(/^Blender [^:]+: 3 shards, their tests took .*; balance \d\.\d\d \(slowest \/ mean\)/),
    ]);

    // Shard 2 planned without the durations: another plan, and the report says so.
    await run('shard-2-by-count.json', { shard: '2/3' });
    const mixed = await report('shard-1.json', 'shard-2-by-count.json', 'shard-3.json');
    expect(mixed.outcome.ok).toBe(false);
    expect(mixed.outcome.failure).toMatch(
      /^Blender [^:]+: its shards were planned differently \(shard 1\/3 .*\): give every job the same test files and shard-durations\.$/,
    );
  });
});
