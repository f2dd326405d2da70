import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { expect, it } from 'vitest';
import { parseRunConfig, requireAddon } from '../../src/inputs/config.js';
import type { RawInputs } from '../../src/inputs/declarations.js';
import { runPipeline } from '../../src/main.js';
import { describeOnEachBlender, type TestBlender } from '../helpers/blender.js';
import { FIXTURES } from '../helpers/fixture-run.js';
import { RecordingReporter } from '../helpers/recording-reporter.js';

// Render snapshots on real Blender: the fixture add-on builds two boxes (Anchor left, Gem
// right); a step renders them with Cycles and compares the render with the approved image.
const GEM_MAKER = path.join(FIXTURES, 'addons', 'gem_maker');
const RENDER = { engine: 'CYCLES', resolution: [96, 64], samples: 8, setup: 'bpy.context.scene.cycles.max_bounces = 0' };

function build(color?: number[], lift?: number): unknown {
  const args = [color && `color=(${color.join(', ')})`, lift !== undefined && `lift=${lift}`].filter(Boolean).join(', ');
  return { name: 'build', blender: `bpy.ops.object.gem_maker_build(${args})`, expect: ['FINISHED'] };
}

/** A probe file in `dir` with these steps, run on `blender` with `inputs`. */
async function runSteps(blender: TestBlender, dir: string, steps: unknown[], inputs: RawInputs = {}) {
  const probes = path.join(dir, 'snapshots.json');
  await writeFile(probes, JSON.stringify({ steps }, null, 2));
  const reporter = new RecordingReporter();
  const config = parseRunConfig({
    addon: GEM_MAKER,
    probes: [probes],
    'blender-path': blender.executable,
    'snapshot-results': path.join(dir, 'results'),
    ...inputs,
  });
  return { outcome: await runPipeline(requireAddon(config), reporter), reporter };
}

/** The x of every pixel the diff image marks as changed (pixelmatch: red, or blue where the render is darker). */
function changedColumns(png: PNG): number[] {
  const xs: number[] = [];
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      if ((r === 255 && g === 0 && b === 0) || (r === 0 && g === 90 && b === 255)) xs.push(x);
    }
  }
  return xs;
}

describeOnEachBlender('render snapshots', (blender) => {
  it('a missing approved image is written locally and fails in CI; then the render matches it, and a change in the add-on fails with a diff where the change is', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-snapshots-'));
    const approved = path.join(dir, 'snapshots', 'gem.png');
    const renderStep = (name: string) => ({ name, render: RENDER, expect: { image: 'snapshots/gem.png' } });

    // In CI (update-snapshots none): no approved image is a failure, with the render kept to look at.
    const ci = await runSteps(blender, dir, [build(), renderStep('render')], { 'update-snapshots': 'none' });
    expect(ci.outcome.results[1]).toMatchObject({
      passed: false,
      failure: expect.stringMatching(
        /^no approved image .*snapshots\/gem\.png: run with --update-snapshots missing and commit it \(this render: .*results\/snapshots\/\d+-gem-actual\.png\)$/,
      ),
    });
    expect(existsSync(approved)).toBe(false);

    // Locally (missing): written, and said.
    const local = await runSteps(blender, dir, [build(), renderStep('render')], { 'update-snapshots': 'missing' });
    expect(local.outcome.results.map((r) => [r.step, r.passed, r.failure])).toEqual([
      ['build', true, undefined],
      ['render', true, undefined],
    ]);
    expect(local.reporter.infoLines).toContainEqual(
      expect.stringMatching(/snapshots\.json:\d+: wrote .*snapshots\/gem\.png from the render \(there was no approved image: commit it\)\.$/),
    );
    const first = PNG.sync.read(await readFile(approved));
    expect([first.width, first.height]).toEqual([96, 64]);

    // The same scene again matches; the Gem in another colour, or with its top lifted, does not:
    // every changed pixel is in the right half, where Gem is.
    const again = await runSteps(
      blender,
      dir,
      [build(), renderStep('same'), build([0.1, 0.8, 0.2]), renderStep('green gem'), build(undefined, 0.6), renderStep('taller gem')],
      { 'update-snapshots': 'none' },
    );
    expect(again.outcome.results.map((r) => [r.step, r.passed])).toEqual([
      ['build', true],
      ['same', true],
      ['build', true],
      ['green gem', false],
      ['build', true],
      ['taller gem', false],
    ]);
    const green = again.outcome.results[3]!;
    expect(green.failure).toMatch(
      /^the render differs from .*snapshots\/gem\.png: \d+(\.\d+)?% of pixels \(\d+ of 6144\) over the threshold 0\.1 \(max-diff-ratio 1%\), the largest channel difference 0\.\d\d; actual, expected, diff in .*results\/snapshots$/,
    );
    const diff = PNG.sync.read(await readFile(path.join(dir, 'results', 'snapshots', `${green.line}-gem-diff.png`)));
    const columns = changedColumns(diff);
    expect(columns.length).toBeGreaterThan(100);
    expect(Math.min(...columns)).toBeGreaterThanOrEqual(48); // Gem's half: x ≥ 48 of 96
    expect(again.outcome.snapshots.map((s) => s.verdict)).toEqual(['pass', 'fail-differs', 'fail-differs']);
    expect(again.outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });

    // update-snapshots changed: the approved image becomes the green gem.
    const updated = await runSteps(blender, dir, [build([0.1, 0.8, 0.2]), renderStep('green gem')], { 'update-snapshots': 'changed' });
    expect(updated.outcome.results.map((r) => r.passed)).toEqual([true, true]);
    expect(updated.reporter.infoLines).toContainEqual(
      expect.stringMatching(/wrote .*snapshots\/gem\.png from the render \(update-snapshots: changed; \d+(\.\d+)?% of pixels/),
    );
    expect(Buffer.compare(PNG.sync.write(first), await readFile(approved))).not.toBe(0);
  });

  it("an approved image of the Blender's series wins; an engine that cannot run here is one sentence, and Blender lives on", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-snapshots-'));
    const series = /^(\d+\.\d+)/.exec(blender.version)![1]!;
    const first = await runSteps(blender, dir, [build(), { name: 'render', render: RENDER, expect: { image: `snapshots/${series}/gem.png` } }], {
      'update-snapshots': 'missing',
    });
    expect(first.outcome.ok).toBe(true);
    // A wrong plain image beside it: the series' image is the one compared.
    await writeFile(path.join(dir, 'snapshots', 'gem.png'), PNG.sync.write(new PNG({ width: 8, height: 8 })));
    const { outcome } = await runSteps(
      blender,
      dir,
      [
        build(),
        { name: 'series image', render: RENDER, expect: { image: 'snapshots/gem.png' } },
        { name: 'egl', blender: "__import__('blender_bg.rendering.render', fromlist=['egl_missing']).egl_missing() is not None" },
        { name: 'workbench', render: { ...RENDER, engine: 'WORKBENCH' }, expect: { image: 'snapshots/workbench.png' } },
        { name: 'still alive', blender: 'len(bpy.data.objects)', expect: 4 },
      ],
      { 'update-snapshots': 'missing' },
    );
    const [, seriesImage, egl, workbench, alive] = outcome.results;
    expect(seriesImage).toMatchObject({ passed: true });
    expect(alive).toMatchObject({ passed: true });
    if (egl!.reply === 'true') {
      expect(workbench).toMatchObject({
        passed: false,
        failure:
          "WORKBENCH cannot render here: Blender finds no EGL library (libEGL.so.1) here, and in background mode without it Blender aborts (SIGABRT) when it draws; install Mesa's EGL (libegl1), or render with CYCLES",
      });
    } else {
      expect(workbench).toMatchObject({ passed: true }); // rendered through EGL
    }
    expect(outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });
  });

  it('assert_matches_snapshot in a test file: written, then matched; a change fails that test, at its line', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-snapshots-'));
    const testFile = path.join(dir, 'test_look.py');
    const write = (color: string) =>
      writeFile(
        testFile,
        [
          'import unittest',
          'import bpy',
          'from blender_bg import assert_matches_snapshot',
          '',
          '',
          'class Look(unittest.TestCase):',
          '    def test_gem(self):',
          `        bpy.ops.object.gem_maker_build(color=(${color}))`,
          "        assert_matches_snapshot('snapshots/gem.png', resolution=(96, 64), samples=8, setup='bpy.context.scene.cycles.max_bounces = 0')",
          '',
          '    def test_plain(self):',
          '        self.assertTrue(True)',
          '',
        ].join('\n'),
      );
    const run = (update: string) => {
      const reporter = new RecordingReporter();
      const config = parseRunConfig({
        addon: GEM_MAKER,
        tests: [testFile],
        'test-runner': 'unittest',
        'blender-path': blender.executable,
        'update-snapshots': update,
        'snapshot-results': path.join(dir, 'results'),
      });
      return runPipeline(requireAddon(config), reporter).then((outcome) => ({ outcome, reporter }));
    };
    await write('0.8, 0.2, 0.1');
    const first = await run('missing');
    expect(first.outcome.results.map((r) => [r.step, r.passed])).toEqual([
      ['test_look.py::Look::test_gem', true],
      ['test_look.py::Look::test_plain', true],
    ]);
    expect(first.reporter.infoLines).toContainEqual(
      expect.stringMatching(/test_look\.py:9: wrote .*snapshots\/gem\.png from the render \(there was no approved image: commit it\)\.$/),
    );
    expect((await run('none')).outcome.ok).toBe(true);
    await write('0.1, 0.8, 0.2');
    const changed = await run('none');
    const [gem, plain] = changed.outcome.results;
    expect(gem).toMatchObject({
      passed: false,
      failure: expect.stringMatching(/^assert_matches_snapshot at .*test_look\.py:9: the render differs from .*snapshots\/gem\.png: \d+(\.\d+)?% of pixels/),
    });
    expect(plain).toMatchObject({ passed: true });
    expect(existsSync(path.join(dir, 'results', 'test_look', '9-gem-diff.png'))).toBe(true);
  });
});
