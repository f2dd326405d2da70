import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parseRunConfig } from '../src/config.js';
import { runPipeline } from '../src/main.js';
import type { ReadyInfo } from '../src/session/driver-protocol.js';
import { RecordingReporter } from '../test/helpers/recording-reporter.js';
import { EXAMPLE_ADDON } from './servers.js';

/** `files` unittest files of `perFile` trivial tests each. */
async function writeSuite(files: number, perFile: number): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-bench-tests-'));
  const paths: string[] = [];
  for (let f = 0; f < files; f++) {
    const tests = Array.from({ length: perFile }, (_, t) => `    def test_${t}(self):\n        self.assertEqual(${t} + 1, ${t + 1})\n`).join('');
    const file = path.join(dir, `test_bench_${f}.py`);
    await writeFile(file, `import unittest\n\n\nclass Trivial(unittest.TestCase):\n${tests}`);
    paths.push(file);
  }
  return paths;
}

class TimedReporter extends RecordingReporter {
  readyAt = 0;
  stoppingAt = 0;
  override ready(info: ReadyInfo, elapsedMs: number, loadedFrom: string): void {
    this.readyAt = performance.now();
    super.ready(info, elapsedMs, loadedFrom);
  }
  override stopping(): void {
    this.stoppingAt = performance.now();
    super.stopping();
  }
}

export interface UnitTestCost {
  tests: number;
  files: number;
  /** the tests phase in the session, wall time */
  inSessionMs: number;
  /** the tests' own time, as the runner measured it */
  testsOwnMs: number;
  /** the same files, each in a fresh `blender -b --python` (what the peers do) */
  freshPerFileMs: number;
}

/**
 * 1,000 trivial tests (10 files): their cost in the kept-alive session (tests phase wall
 * time minus the tests' own time = our overhead), beside a fresh Blender per file.
 */
export async function unitTestCost(blender: string, files = 10, perFile = 100): Promise<UnitTestCost> {
  const suite = await writeSuite(files, perFile);
  const reporter = new TimedReporter();
  const config = parseRunConfig({ addon: EXAMPLE_ADDON, 'blender-path': blender, tests: suite, 'test-runner': 'unittest' });
  const outcome = await runPipeline(config, reporter);
  if (!outcome.ok || outcome.results.length !== files * perFile) throw new Error(`bench tests did not all pass: ${outcome.failure}`);
  const testsOwnMs = outcome.results.reduce((sum, r) => sum + r.durationMs, 0);

  const started = performance.now();
  for (const file of suite) {
    const code = `import sys, unittest; r = unittest.TextTestRunner(verbosity=0).run(unittest.defaultTestLoader.discover(${JSON.stringify(path.dirname(file))}, pattern=${JSON.stringify(path.basename(file))})); sys.exit(0 if r.wasSuccessful() else 1)`;
    await execa(blender, ['-b', '--factory-startup', '--python-exit-code', '1', '--python-expr', code]);
  }
  return { tests: files * perFile, files, inSessionMs: reporter.stoppingAt - reporter.readyAt, testsOwnMs, freshPerFileMs: performance.now() - started };
}
