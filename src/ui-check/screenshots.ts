import { PNG } from 'pngjs';

/** An image as RGBA rows, the shape pngjs writes. */
export interface Rgba {
  width: number;
  height: number;
  data: Buffer;
}

/**
 * An XWD file (what Xvfb -fbdir keeps its screen in) as RGBA. The header is 25 big-endian
 * 32-bit fields, the window name and the colormap follow, then the pixels in ZPixmap format:
 * each pixel `bits_per_pixel` wide in `byte_order`, its channels named by the masks.
 */
export function readXwd(bytes: Buffer): Rgba | string {
  if (bytes.length < 100) return 'not an XWD image (too short)';
  const field = (index: number) => bytes.readUInt32BE(index * 4);
  const [headerSize, version, format, width, height, byteOrder, bitsPerPixel, bytesPerLine] = [field(0), field(1), field(2), field(4), field(5), field(7), field(11), field(12)];
  const masks = [field(14), field(15), field(16)];
  const ncolors = field(19);
  if (version !== 7 || format !== 2) return `not a ZPixmap XWD image (version ${version}, format ${format})`;
  if (bitsPerPixel !== 32 && bitsPerPixel !== 24) return `an XWD image of ${bitsPerPixel} bits per pixel (24 and 32 are read)`;
  const start = headerSize + ncolors * 12;
  if (bytes.length < start + bytesPerLine * height) return 'not an XWD image (cut short)';
  const step = bitsPerPixel / 8;
  const shifts = masks.map((mask) => Math.max(0, 31 - Math.clz32(mask & -mask)));
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = start + y * bytesPerLine;
    for (let x = 0; x < width; x++) {
      const at = row + x * step;
      let pixel = 0;
      for (let b = 0; b < step; b++) pixel |= bytes[at + (byteOrder === 0 ? b : step - 1 - b)]! << (8 * b);
      const out = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) data[out + c] = ((pixel >>> 0) & masks[c]!) >>> shifts[c]!;
      data[out + 3] = 255;
    }
  }
  return { width, height, data };
}

/** [x, y, width, height] from the top left. */
export type Box = [number, number, number, number];

/**
 * The part of `image` that differs from `baseline` (a popup that opened), with a margin; undefined
 * when next to nothing differs (nothing was shown), the whole image when the sizes differ.
 */
export function changedBox(image: Rgba, baseline: Rgba, margin = 4): Box | undefined {
  if (image.width !== baseline.width || image.height !== baseline.height) return [0, 0, image.width, image.height];
  let [left, top, right, bottom] = [image.width, image.height, -1, -1];
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const at = (y * image.width + x) * 4;
      if (image.data[at] === baseline.data[at] && image.data[at + 1] === baseline.data[at + 1] && image.data[at + 2] === baseline.data[at + 2]) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  }
  // Nothing opened (a popup whose draw raised at once can be a line of pixels): the whole window says that best.
  if (right - left < 8 || bottom - top < 8) return undefined;
  const x = Math.max(0, left - margin);
  const y = Math.max(0, top - margin);
  return [x, y, Math.min(image.width, right + margin + 1) - x, Math.min(image.height, bottom + margin + 1) - y];
}

/** The box of the image (clamped to it), as a PNG file's bytes. */
export function croppedPng(image: Rgba, box: Box | undefined): Buffer {
  const [x, y, width, height] = clamp(box ?? [0, 0, image.width, image.height], image);
  const png = new PNG({ width, height });
  for (let row = 0; row < height; row++) {
    const from = ((y + row) * image.width + x) * 4;
    image.data.copy(png.data, row * width * 4, from, from + width * 4);
  }
  return PNG.sync.write(png);
}

function clamp([x, y, width, height]: Box, image: Rgba): Box {
  const left = Math.min(Math.max(0, x), image.width - 1);
  const top = Math.min(Math.max(0, y), image.height - 1);
  return [left, top, Math.max(1, Math.min(width, image.width - left)), Math.max(1, Math.min(height, image.height - top))];
}
