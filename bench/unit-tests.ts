import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { parseRunConfig, requireAddon } from '../src/inputs/config.js';
import type { RawInputs } from '../src/inputs/declarations.js';
import { runPipeline } from '../src/main.js';
import { resultFileOf } from '../src/report/result-file.js';
import { resultFileText } from '../src/result-file/format.js';
import type { ReadyInfo } from '../src/session/driver-protocol.js';
import { RecordingReporter } from '../test/helpers/recording-reporter.js';
import { EXAMPLE_ADDON } from './servers.js';

/** test/fixtures/unit-tests/colliding, from build/bench/ (tsc's output) or bench/. */
const COLLIDING_SUITE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'fixtures', 'unit-tests', 'colliding');

/** One unittest file's body: `perFile` tests, each `test(t)`, with an optional setUp. */
interface SuiteShape {
  files: number;
  perFile: number;
  setUp?: string;
  test: (t: number) => string;
}

/** Writes the suite's files; returns their paths. */
async function writeSuite(shape: SuiteShape): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-bench-tests-'));
  const paths: string[] = [];
  const indent = (code: string) =>
    code
      .split('\n')
      .map((line) => `        ${line}`)
      .join('\n');
  for (let f = 0; f < shape.files; f++) {
    const setUp = shape.setUp ? `    def setUp(self):\n${indent(shape.setUp)}\n\n` : '';
    const tests = Array.from({ length: shape.perFile }, (_, t) => `    def test_${t}(self):\n${indent(shape.test(t))}\n`).join('\n');
    const file = path.join(dir, `test_bench_${f}.py`);
    await writeFile(file, `import unittest\n\nimport bpy\n\n\nclass Suite(unittest.TestCase):\n${setUp}${tests}`);
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

/** The suite in one kept-alive session, through the whole pipeline. */
async function inSession(
  blender: string,
  suite: string[],
  tests: number,
  extra: RawInputs = {},
): Promise<{ reporter: TimedReporter; testsOwnMs: number; wholeMs: number }> {
  const reporter = new TimedReporter();
  const config = parseRunConfig({ addon: EXAMPLE_ADDON, 'blender-path': blender, tests: suite, 'test-runner': 'unittest', ...extra });
  const started = performance.now();
  const outcome = await runPipeline(requireAddon(config), reporter);
  const wholeMs = performance.now() - started;
  if (!outcome.ok || outcome.results.length !== tests) throw new Error(`bench tests did not all pass: ${outcome.failure}`);
  return { reporter, testsOwnMs: outcome.results.reduce((sum, r) => sum + r.durationMs, 0), wholeMs };
}

/** Today's practice: each file in a fresh `blender -b`, its exit code made to count. */
async function freshBlenderPerFileMs(blender: string, suite: string[]): Promise<number> {
  const started = performance.now();
  for (const file of suite) {
    const code = `import sys, unittest; r = unittest.TextTestRunner(verbosity=0).run(unittest.defaultTestLoader.discover(${JSON.stringify(path.dirname(file))}, pattern=${JSON.stringify(path.basename(file))})); sys.exit(0 if r.wasSuccessful() else 1)`;
    await execa(blender, ['-b', '--factory-startup', '--python-exit-code', '1', '--python-expr', code]);
  }
  return performance.now() - started;
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
  const suite = await writeSuite({ files, perFile, test: (t) => `self.assertEqual(${t} + 1, ${t + 1})` });
  const { reporter, testsOwnMs } = await inSession(blender, suite, files * perFile);
  return {
    tests: files * perFile,
    files,
    inSessionMs: reporter.stoppingAt - reporter.readyAt,
    testsOwnMs,
    freshPerFileMs: await freshBlenderPerFileMs(blender, suite),
  };
}

export interface SuiteRunCost {
  tests: number;
  files: number;
  /** the whole run: provision, stage, start, every file, teardown */
  inSessionMs: number;
  testsOwnMs: number;
  freshPerFileMs: number;
}

/**
 * A suite shaped like real in-Blender suites: 32 files of 13 tests, each test starting from
 * an empty scene (read_homefile in setUp, as real suites do) and building a few objects. The
 * whole action run against today's loop of one `blender -b` per file.
 */
export async function existingSuiteCost(blender: string, files = 32, perFile = 13, rounds = 2): Promise<SuiteRunCost> {
  const suite = await writeSuite({
    files,
    perFile,
    setUp: 'bpy.ops.wm.read_homefile(use_empty=True)',
    test: (t) =>
      [
        `bpy.ops.mesh.primitive_cube_add(size=${t + 1})`,
        `mesh = bpy.data.meshes.new("mesh_${t}")`,
        `bpy.context.scene.collection.objects.link(bpy.data.objects.new("object_${t}", mesh))`,
        'self.assertEqual(len(bpy.data.objects), 2)',
      ].join('\n'),
  });
  // Rounds alternate which goes first (ABBA...), so a machine that drifts favours neither.
  const sessions: { wholeMs: number; testsOwnMs: number }[] = [];
  const fresh: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const runSession = async () => sessions.push(await inSession(blender, suite, files * perFile));
    const runFresh = async () => fresh.push(await freshBlenderPerFileMs(blender, suite));
    for (const run of round % 2 === 0 ? [runSession, runFresh] : [runFresh, runSession]) await run();
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return {
    tests: files * perFile,
    files,
    inSessionMs: mean(sessions.map((s) => s.wholeMs)),
    testsOwnMs: mean(sessions.map((s) => s.testsOwnMs)),
    freshPerFileMs: mean(fresh),
  };
}

/**
 * The tests phase of a bpy-heavy suite with and without the coverage input, in alternating
 * order: what measuring the add-on costs tests that mostly call Blender.
 */
export async function coverageSuiteCost(blender: string, files: number, perFile: number, rounds: number): Promise<{ offMs: number; onMs: number }> {
  const suite = await writeSuite({
    files,
    perFile,
    test: (t) => [`bpy.ops.mesh.primitive_cube_add(size=${t + 1})`, 'self.assertGreater(len(bpy.data.objects), 0)'].join('\n'),
  });
  const report = path.join(await mkdtemp(path.join(os.tmpdir(), 'bg-bench-coverage-')), 'coverage.xml');
  const off: number[] = [];
  const on: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const coverage of round % 2 === 0 ? [false, true] : [true, false]) {
      const { reporter } = await inSession(blender, suite, files * perFile, coverage ? { coverage: 'true', 'coverage-path': report } : {});
      (coverage ? on : off).push(reporter.stoppingAt - reporter.readyAt);
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return { offMs: mean(off), onMs: mean(on) };
}

/** A test whose own time dominates: builds and subdivides a mesh, as real suites do. */
const MESH_TEST = (t: number) =>
  [
    'bpy.ops.mesh.primitive_uv_sphere_add(segments=64, ring_count=32)',
    'modifier = bpy.context.object.modifiers.new("subdivide", "SUBSURF")',
    `modifier.levels = ${1 + (t % 2)}`,
    'bpy.ops.object.modifier_apply(modifier="subdivide")',
    'self.assertGreater(len(bpy.context.object.data.vertices), 2000)',
  ].join('\n');

export interface WorkersCost {
  tests: number;
  files: number;
  /** whole action runs, by test-workers setting */
  byWorkers: { setting: string; ms: number }[];
  freshPerFileMs: number;
}

/**
 * A suite whose tests' own time dominates (each builds and subdivides a mesh, as real suites
 * do), run whole with 1, 2 and auto test workers and as one `blender -b` per file. Rounds
 * rotate the order, so a machine that drifts favours none.
 */
export async function workersCost(blender: string, files: number, perFile: number, rounds: number): Promise<WorkersCost> {
  const suite = await writeSuite({
    files,
    perFile,
    setUp: 'bpy.ops.wm.read_homefile(use_empty=True)',
    test: MESH_TEST,
  });
  const settings = ['1', '2', 'auto'];
  const times = new Map<string, number[]>(settings.map((s) => [s, []]));
  const fresh: number[] = [];
  const runs: (() => Promise<void>)[] = [
    ...settings.map((setting) => async () => {
      // The example add-on serves on 6688 unless told otherwise: each worker gets a port of its own.
      times
        .get(setting)!
        .push((await inSession(blender, suite, files * perFile, { 'test-workers': setting, 'worker-env': ['ECHO_ADDON_PORT={port}'] })).wholeMs);
    }),
    async () => {
      fresh.push(await freshBlenderPerFileMs(blender, suite));
    },
  ];
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < runs.length; i++) await runs[(i + round) % runs.length]!();
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return { tests: files * perFile, files, byWorkers: settings.map((setting) => ({ setting, ms: mean(times.get(setting)!) })), freshPerFileMs: mean(fresh) };
}

export interface CollidingSuiteCost {
  /** mesh-heavy files beside the colliding pair */
  meshFiles: number;
  /** the verdict and the results, as ok / passed counts, with 1 and 2 workers, and 2 workers remembering */
  oneWorker: { ok: boolean; passed: number; ms: number };
  twoWorkers: { ok: boolean; passed: number; ms: number };
  /** 2 workers again, given the first 2-worker run's result file (shard-durations): the unsafe file runs alone from the start */
  remembered: { ok: boolean; passed: number; ms: number };
  /** files named not parallel-safe, and what running them again alone cost */
  unsafeFiles: number;
  retryMs: number;
}

/**
 * The fixture suite built to collide (every file empties a shared output folder, as a real
 * 419-test suite's do), beside `meshFiles` mesh-heavy files: with 2 workers one file fails beside
 * the other, runs again alone and passes, so the verdict is the one a single worker gives; the
 * retry is what that costs. A second 2-worker run given the first's result file runs that file
 * alone from the start, without the failed attempt.
 */
export async function collidingSuiteCost(blender: string, meshFiles = 0): Promise<CollidingSuiteCost> {
  const meshes = meshFiles > 0 ? await writeSuite({ files: meshFiles, perFile: 4, setUp: 'bpy.ops.wm.read_homefile(use_empty=True)', test: MESH_TEST }) : [];
  // One folder for every run (files are remembered as reports name them), copied afresh: the files leave their markers and output behind.
  const root = await mkdtemp(path.join(os.tmpdir(), 'bg-bench-colliding-'));
  const suite = path.join(root, 'tests');
  const run = async (workers: string, extra: RawInputs = {}) => {
    await rm(suite, { recursive: true, force: true });
    await cp(COLLIDING_SUITE, suite, { recursive: true });
    for (const mesh of meshes) await cp(mesh, path.join(suite, path.basename(mesh)));
    const config = parseRunConfig({
      addon: EXAMPLE_ADDON,
      'blender-path': blender,
      tests: [suite],
      'test-runner': 'unittest',
      'test-workers': workers,
      'worker-env': ['ECHO_ADDON_PORT={port}'],
      ...extra,
    });
    const started = performance.now();
    const outcome = await runPipeline(requireAddon(config), new RecordingReporter());
    return { outcome, ms: performance.now() - started };
  };
  const one = await run('1');
  const two = await run('2');
  const resultPath = path.join(root, 'result.json');
  await writeFile(resultPath, resultFileText(resultFileOf(two.outcome, { addonInput: EXAMPLE_ADDON, toolVersion: 'bench' })));
  const remembered = await run('2', { 'shard-durations': [resultPath] });
  const summary = ({ outcome, ms }: typeof one) => ({ ok: outcome.ok, passed: outcome.results.filter((r) => r.passed).length, ms });
  return {
    meshFiles,
    oneWorker: summary(one),
    twoWorkers: summary(two),
    remembered: summary(remembered),
    unsafeFiles: two.outcome.parallelUnsafe.length,
    retryMs: two.outcome.parallelUnsafe.reduce((sum, f) => sum + f.aloneMs, 0),
  };
}
