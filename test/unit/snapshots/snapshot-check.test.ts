import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { UpdateSnapshots } from '../../../src/snapshots/baseline.js';
import { checkSnapshot, snapshotResultsFolder } from '../../../src/snapshots/snapshot-check.js';

function png(width: number, height: number, value: number): Buffer {
  const image = new PNG({ width, height });
  image.data.fill(value);
  for (let i = 3; i < image.data.length; i += 4) image.data[i] = 255;
  return PNG.sync.write(image);
}

/** A workspace with a probe file, a render of `value`, and the approved images given. */
async function workspace(approved: Record<string, Buffer>, renderValue = 100) {
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'bg-snap-'));
  await mkdir(path.join(cwd, 'probes'));
  for (const [file, bytes] of Object.entries(approved)) {
    await mkdir(path.dirname(path.join(cwd, 'probes', file)), { recursive: true });
    await writeFile(path.join(cwd, 'probes', file), bytes);
  }
  const rendered = path.join(cwd, 'render.png');
  await writeFile(rendered, png(8, 4, renderValue));
  const check = (update: UpdateSnapshots, blenderVersion = '4.2.3') =>
    checkSnapshot(
      rendered,
      { probeFile: 'probes/look.json', line: 7, image: 'snapshots/cube.png', threshold: 0.1, maxDiffRatio: 0.01 },
      { update, resultsDir: path.join(cwd, 'results'), blenderVersion, cwd, renderDir: cwd },
    );
  return { cwd, check };
}

describe('checkSnapshot', () => {
  it('passes a match, and writes nothing', async () => {
    const { cwd, check } = await workspace({ 'snapshots/cube.png': png(8, 4, 100) });
    expect(await check('none')).toEqual({
      record: { file: 'probes/look.json', line: 7, image: 'snapshots/cube.png', verdict: 'pass', ratio: 0 },
      failure: undefined,
      note: undefined,
    });
    expect(existsSync(path.join(cwd, 'results'))).toBe(false);
  });

  it('a difference fails naming the approved image, the share, the rule and the three images', async () => {
    const { cwd, check } = await workspace({ 'snapshots/cube.png': png(8, 4, 100) }, 250);
    const outcome = await check('missing');
    const folder = path.join(cwd, 'results', 'look');
    expect(outcome.failure).toBe(
      `the render differs from probes/snapshots/cube.png: 100.0% of pixels (32 of 32) over the threshold 0.1 (max-diff-ratio 1%), the largest channel difference 0.59; actual, expected, diff in ${folder}`,
    );
    expect(outcome.record).toMatchObject({
      verdict: 'fail-differs',
      actual: path.join(folder, '7-cube-actual.png'),
      expected: path.join(folder, '7-cube-expected.png'),
      diff: path.join(folder, '7-cube-diff.png'),
    });
    expect(await readFile(path.join(folder, '7-cube-expected.png'))).toEqual(png(8, 4, 100));
    expect(snapshotResultsFolder([outcome.record])).toBe(path.join(cwd, 'results'));
  });

  it('no approved image: written locally (said), a failure with the render kept in CI', async () => {
    const local = await workspace({});
    expect((await local.check('missing')).note).toBe(
      'probes/look.json:7: wrote probes/snapshots/cube.png from the render (there was no approved image: commit it).',
    );
    expect(await readFile(path.join(local.cwd, 'probes', 'snapshots', 'cube.png'))).toEqual(png(8, 4, 100));
    const ci = await workspace({});
    const outcome = await ci.check('none');
    expect(outcome.failure).toBe(
      `no approved image probes/snapshots/cube.png: run with --update-snapshots missing and commit it (this render: ${path.join(ci.cwd, 'results', 'look', '7-cube-actual.png')})`,
    );
    expect(existsSync(path.join(ci.cwd, 'probes', 'snapshots', 'cube.png'))).toBe(false);
  });

  it("the series' image wins and is the one rewritten; a size mismatch says both sizes", async () => {
    const { cwd, check } = await workspace({ 'snapshots/cube.png': png(8, 4, 100), 'snapshots/4.2/cube.png': png(4, 4, 100) });
    expect((await check('none')).failure).toMatch(
      /^the render differs from probes\/snapshots\/4\.2\/cube\.png: the render is 8×4, the approved image 4×4; actual, expected in /,
    );
    expect((await check('changed')).note).toBe(
      'probes/look.json:7: wrote probes/snapshots/4.2/cube.png from the render (update-snapshots: changed; the render is 8×4, the approved image 4×4).',
    );
    expect(PNG.sync.read(await readFile(path.join(cwd, 'probes', 'snapshots', '4.2', 'cube.png'))).width).toBe(8);
    expect((await check('none', '3.6.1')).record.verdict).toBe('pass'); // another series: the plain image
  });
});
