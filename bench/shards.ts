import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RawInputs } from '../src/inputs/declarations.js';
import { runAndReport } from '../src/run-and-report.js';
import { RecordingReporter } from '../test/helpers/recording-reporter.js';

/** A legacy add-on with no port: the shards' Blenders start quickly and need nothing. */
const ADDON = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'addons', 'inpkg');

export interface ShardBalance {
  files: number;
  shards: number;
  /** the slowest shard's tests over the ideal (all shards' tests / shards) */
  byCount: number;
  byDurations: number;
  /** the slowest shard's tests, ms */
  slowestByCountMs: number;
  slowestByDurationsMs: number;
}

/**
 * A suite of `files` files with skewed durations (each file's setUpClass sleeps `baseMs`, one
 * sleeps ten times that), split over `shards` shards: by count (no durations: what
 * Playwright's --shard does) and by the durations a first, unsharded run measured. Each
 * split's slowest shard against the ideal, total / shards.
 */
export async function shardBalance(blender: string, files: number, shards: number, baseMs: number): Promise<ShardBalance> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-bench-shards-'));
  const suite = path.join(dir, 'tests');
  await mkdir(suite);
  for (let f = 0; f < files; f++) {
    const sleep = (f === Math.floor(files / 3) ? 10 * baseMs : baseMs) / 1000;
    const text = `import time\nimport unittest\n\n\nclass Part(unittest.TestCase):\n    @classmethod\n    def setUpClass(cls):\n        time.sleep(${sleep})\n\n    def test_it(self):\n        pass\n`;
    await writeFile(path.join(suite, `test_part_${String(f).padStart(2, '0')}.py`), text);
  }
  const run = async (name: string, extra: RawInputs = {}) => {
    const outcome = await runAndReport(
      { addon: ADDON, 'blender-path': blender, tests: [suite], 'test-runner': 'unittest', 'result-path': path.join(dir, name), ...extra },
      new RecordingReporter(),
    );
    if (!outcome.ok) throw new Error(`bench shards did not pass: ${outcome.failure}`);
    return outcome;
  };
  await run('first.json');
  const split = async (durations: string[]) => {
    const times: number[] = [];
    for (let index = 1; index <= shards; index++)
      times.push((await run(`shard-${index}.json`, { shard: `${index}/${shards}`, 'shard-durations': durations })).testsMs ?? 0);
    const ideal = times.reduce((a, b) => a + b, 0) / shards;
    return { ratio: Math.max(...times) / ideal, slowest: Math.max(...times) };
  };
  const byCount = await split([]);
  const byDurations = await split([path.join(dir, 'first.json')]);
  return {
    files,
    shards,
    byCount: byCount.ratio,
    byDurations: byDurations.ratio,
    slowestByCountMs: byCount.slowest,
    slowestByDurationsMs: byDurations.slowest,
  };
}
