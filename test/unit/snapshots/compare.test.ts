import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { compareImages, describeShare, readPng } from '../../../src/snapshots/compare.js';

/** A width × height image of one colour, with `paint` pixels in another. */
function image(width: number, height: number, color: number[], paint: { x: number; y: number; color: number[] }[] = []): PNG {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([...color, 255], i * 4);
  for (const p of paint) png.data.set([...p.color, 255], (p.y * width + p.x) * 4);
  return PNG.sync.read(PNG.sync.write(png)); // through a PNG file, as the images compared are
}

const GREY = [100, 100, 100];
const rule = { threshold: 0.1, maxDiffRatio: 0.01 };

describe('compareImages', () => {
  it('equal images match, with no pixel differing', () => {
    const result = compareImages(image(20, 10, GREY), image(20, 10, GREY), rule);
    expect(result).toMatchObject({ kind: 'pixels', matches: true, differing: 0, total: 200, ratio: 0, largest: 0 });
  });

  it('counts the pixels over the threshold, and the diff image marks exactly those', () => {
    const changed = [
      { x: 3, y: 2, color: [255, 0, 0] },
      { x: 17, y: 8, color: [0, 0, 255] },
      { x: 18, y: 8, color: [0, 0, 255] },
    ];
    const result = compareImages(image(20, 10, GREY, changed), image(20, 10, GREY), rule);
    if (result.kind !== 'pixels') throw new Error(result.kind);
    expect(result).toMatchObject({ matches: false, differing: 3, ratio: 3 / 200 });
    expect(result.largest).toBeCloseTo(155 / 255, 5);
    const diff = PNG.sync.read(result.diff);
    const marked: string[] = [];
    for (let i = 0; i < 200; i++) {
      const [r, g, b] = diff.data.subarray(i * 4, i * 4 + 3);
      if ((r === 255 && g === 0 && b === 0) || (r === 0 && g === 90 && b === 255)) marked.push(`${i % 20},${Math.floor(i / 20)}`);
    }
    expect(marked.sort()).toEqual(['17,8', '18,8', '3,2']);
  });

  it('a difference under the threshold is equal; max-diff-ratio lets a share of pixels differ', () => {
    expect(compareImages(image(10, 10, [101, 100, 100]), image(10, 10, GREY), rule)).toMatchObject({ matches: true, differing: 0 });
    const one = [{ x: 0, y: 0, color: [255, 255, 255] }];
    expect(compareImages(image(10, 10, GREY, one), image(10, 10, GREY), { threshold: 0.1, maxDiffRatio: 0.01 })).toMatchObject({ matches: true, differing: 1 });
    expect(compareImages(image(10, 10, GREY, one), image(10, 10, GREY), { threshold: 0.1, maxDiffRatio: 0 })).toMatchObject({ matches: false, differing: 1 });
  });

  it('images of different sizes do not compare: both sizes are told', () => {
    expect(compareImages(image(20, 10, GREY), image(10, 10, GREY), rule)).toEqual({
      kind: 'size',
      actual: { width: 20, height: 10 },
      expected: { width: 10, height: 10 },
    });
  });
});

describe('readPng, describeShare', () => {
  it('a file that is not a PNG is said so', () => {
    expect(readPng(Buffer.from('not an image'))).toMatch(/^not a PNG image \(/);
  });

  it('a share of pixels in words', () => {
    expect(describeShare(524, 524 / 16384, 16384)).toBe('3.20% of pixels (524 of 16384)');
    expect(describeShare(1, 1 / 1e6, 1e6)).toBe('< 0.01% of pixels (1 of 1000000)');
    expect(describeShare(5000, 0.5, 10000)).toBe('50.0% of pixels (5000 of 10000)');
  });
});
