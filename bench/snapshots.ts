import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import type { Installation } from '../src/blender/installation.js';
import { BlenderControl } from '../src/probes/transports/blender.js';
import { compareImages, readPng } from '../src/snapshots/compare.js';
import { removeRunDir } from '../src/session/run-dir.js';
import { startFixtureSession } from '../test/helpers/session.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURE_ADDON = path.join(ROOT, 'test', 'fixtures', 'addons', 'fixture_service');

/**
 * A render step's render: the factory scene (the cube) at 256×256, Cycles, 16 samples, in the
 * kept-alive session through the driver's render op. Median of `count`, after one to warm up.
 */
export async function renderCost(installation: Installation, count: number): Promise<{ stepMs: number[]; renderSeconds: number[] }> {
  const { session, runDir } = await startFixtureSession({ installation, addonPath: FIXTURE_ADDON, mode: 'asyncio' });
  const control = new BlenderControl((await session.ready(), session.control!));
  const stepMs: number[] = [];
  const renderSeconds: number[] = [];
  try {
    for (let i = 0; i <= count; i++) {
      const output = path.join(runDir.tmp, `bench-${i}.png`);
      const started = performance.now();
      const rendered = await control.render({ engine: 'CYCLES', resolution: [256, 256], samples: 16 }, output, AbortSignal.timeout(120_000));
      if (i === 0) continue; // the first render compiles Cycles' kernels' state
      stepMs.push(performance.now() - started);
      renderSeconds.push(rendered.seconds);
      await rm(output);
    }
  } finally {
    control.close();
    await session.stop();
    await removeRunDir(runDir);
  }
  return { stepMs, renderSeconds };
}

/** Two 1024×1024 renders-to-be (noise, and the same with a patch changed), compared: decoding both PNGs and pixelmatch. */
export async function compareCost(count: number, dir: string): Promise<{ decodeAndCompareMs: number[]; compareMs: number[] }> {
  const size = 1024;
  const a = new PNG({ width: size, height: size });
  let seed = 1;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 255;
  for (let i = 0; i < a.data.length; i++) a.data[i] = (i & 3) === 3 ? 255 : random();
  const b = new PNG({ width: size, height: size });
  a.data.copy(b.data);
  for (let y = 300; y < 400; y++) for (let x = 500; x < 700; x++) b.data.set([255, 0, 0, 255], (y * size + x) * 4);
  const files = [path.join(dir, 'a.png'), path.join(dir, 'b.png')];
  await writeFile(files[0]!, PNG.sync.write(a));
  await writeFile(files[1]!, PNG.sync.write(b));
  const decodeAndCompareMs: number[] = [];
  const compareMs: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const [actual, expected] = await Promise.all(files.map(async (f) => readPng(await readFile(f)) as PNG));
    const comparing = performance.now();
    const result = compareImages(actual!, expected!, { threshold: 0.1, maxDiffRatio: 0.01 });
    const done = performance.now();
    if (result.kind !== 'pixels' || result.differing < 10_000) throw new Error('the bench images did not differ as built');
    decodeAndCompareMs.push(done - started);
    compareMs.push(done - comparing);
  }
  return { decodeAndCompareMs, compareMs };
}
