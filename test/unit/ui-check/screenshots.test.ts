import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { type Rgba, changedBox, croppedPng, readXwd } from '../../../src/ui-check/screenshots.js';

/** An XWD file as Xvfb -fbdir writes it: 32 bits per pixel, little-endian, 8-bit masks, a colormap. */
function xwd(width: number, height: number, pixel: (x: number, y: number) => [number, number, number], ncolors = 256): Buffer {
  const header = Buffer.alloc(100 + 4); // 25 fields and a 4-byte window name
  const fields = [104, 7, 2, 24, width, height, 0, 0, 32, 0, 32, 32, width * 4, 4, 0xff0000, 0x00ff00, 0x0000ff, 8, ncolors, ncolors, width, height, 0, 0, 0];
  fields.forEach((value, index) => header.writeUInt32BE(value, index * 4));
  const pixels = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = pixel(x, y);
      pixels.writeUInt32LE((r << 16) | (g << 8) | b, (y * width + x) * 4);
    }
  }
  return Buffer.concat([header, Buffer.alloc(ncolors * 12), pixels]);
}

function image(width: number, height: number, pixel: (x: number, y: number) => [number, number, number]): Rgba {
  const result = readXwd(xwd(width, height, pixel));
  if (typeof result === 'string') throw new Error(result);
  return result;
}

describe('readXwd', () => {
  it("reads Xvfb's screen: each channel by its mask, the colormap skipped", () => {
    const read = image(3, 2, (x, y) => [x * 100, y * 200, 7]);
    expect(read.width).toBe(3);
    expect(read.height).toBe(2);
    expect([...read.data.subarray(0, 4)]).toEqual([0, 0, 7, 255]);
    expect([...read.data.subarray((1 * 3 + 2) * 4, (1 * 3 + 2) * 4 + 4)]).toEqual([200, 200, 7, 255]);
  });

  it('says what is wrong with a file it cannot read', () => {
    expect(readXwd(Buffer.alloc(10))).toBe('not an XWD image (too short)');
    expect(readXwd(xwd(4, 4, () => [0, 0, 0]).subarray(0, 2000))).toBe('not an XWD image (cut short)');
  });
});

describe('changedBox and croppedPng', () => {
  const grey = (): [number, number, number] => [40, 40, 40];
  const base = image(100, 80, grey);

  it('cuts the popup out of the window: what differs from the window before it opened, with a margin', () => {
    const popup = image(100, 80, (x, y) => (x >= 30 && x < 60 && y >= 10 && y < 50 ? [200, 200, 200] : grey()));
    expect(changedBox(popup, base)).toEqual([26, 6, 38, 48]);
    const png = PNG.sync.read(croppedPng(popup, changedBox(popup, base)));
    expect([png.width, png.height]).toEqual([38, 48]);
    expect([...png.data.subarray((10 * 38 + 10) * 4, (10 * 38 + 10) * 4 + 3)]).toEqual([200, 200, 200]);
  });

  it('what else changed between the two pictures (a 3D view drawn again, a highlight) is left out', () => {
    const noisy = image(100, 80, (x, y) => {
      if (x >= 30 && x < 60 && y >= 10 && y < 50) return [200, 200, 200];
      if ((x * 7 + y * 13) % 29 === 0) return [41, 40, 40]; // sparse: one pixel in 29 anywhere
      if (x >= 90 && x < 93 && y >= 70 && y < 73) return [90, 90, 255]; // a small highlight far away
      return grey();
    });
    // the popup (30..59 × 10..49) and its margin, give or take a stray pixel touching its edge
    const [x, y, width, height] = changedBox(noisy, base)!;
    expect(x).toBeGreaterThanOrEqual(24);
    expect(x).toBeLessThanOrEqual(26);
    expect(y).toBeGreaterThanOrEqual(4);
    expect(y).toBeLessThanOrEqual(6);
    expect(x + width).toBeGreaterThanOrEqual(64);
    expect(x + width).toBeLessThanOrEqual(66);
    expect(y + height).toBeGreaterThanOrEqual(54);
    expect(y + height).toBeLessThanOrEqual(56);
  });

  it('nothing opened (a popup whose draw raised at once): the whole window', () => {
    const line = image(100, 80, (x, y) => (y === 20 && x < 3 ? [255, 0, 0] : grey()));
    expect(changedBox(line, base)).toBeUndefined();
    expect(changedBox(base, base)).toBeUndefined();
    const png = PNG.sync.read(croppedPng(line, undefined));
    expect([png.width, png.height]).toEqual([100, 80]);
  });

  it('a box past the edge is clamped to the image', () => {
    const png = PNG.sync.read(croppedPng(base, [90, 70, 50, 50]));
    expect([png.width, png.height]).toEqual([10, 10]);
  });
});
