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
  const [headerSize, version, format, width, height, byteOrder, bitsPerPixel, bytesPerLine] = [
    field(0),
    field(1),
    field(2),
    field(4),
    field(5),
    field(7),
    field(11),
    field(12),
  ];
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

/** The side of the square cells differences are counted in. */
const CELL = 8;

/**
 * The part of `image` that differs from `baseline` (a popup that opened), with a margin: the
 * largest block of cells where most pixels differ. A popup is such a block; what else changed
 * between the two pictures (a highlight, a pixel of a 3D view drawn again) is sparse and small
 * and left out. Undefined when nothing opened; the whole image when the sizes differ.
 */
export function changedBox(image: Rgba, baseline: Rgba, margin = 4): Box | undefined {
  if (image.width !== baseline.width || image.height !== baseline.height) return [0, 0, image.width, image.height];
  const columns = Math.ceil(image.width / CELL);
  const rows = Math.ceil(image.height / CELL);
  const counts = new Uint16Array(columns * rows);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const at = (y * image.width + x) * 4;
      if (image.data[at] !== baseline.data[at] || image.data[at + 1] !== baseline.data[at + 1] || image.data[at + 2] !== baseline.data[at + 2])
        counts[Math.floor(y / CELL) * columns + Math.floor(x / CELL)]!++;
    }
  }
  // A cell counts when a quarter of its pixels differ (a popup's plain background differs everywhere).
  const marked = Uint8Array.from(counts, (count) => (count >= (CELL * CELL) / 4 ? 1 : 0));
  const block = largestBlock(marked, columns, rows);
  if (!block) return undefined;
  const tight = differingBounds(image, baseline, [
    block[0] * CELL,
    block[1] * CELL,
    Math.min(image.width, (block[2] + 1) * CELL),
    Math.min(image.height, (block[3] + 1) * CELL),
  ]);
  if (!tight) return undefined;
  const [left, top, right, bottom] = tight;
  // A line of pixels is not a popup: nothing opened (its draw raised at once), and the whole window says that best.
  if (right - left < 2 * CELL || bottom - top < 2 * CELL) return undefined;
  const x = Math.max(0, left - margin);
  const y = Math.max(0, top - margin);
  return [x, y, Math.min(image.width, right + margin) - x, Math.min(image.height, bottom + margin) - y];
}

/**
 * Within [left, top, right, bottom) (pixels): the tight bounds of the pixels that differ along with
 * at least three of their neighbours (a popup's corner has three; a stray pixel of a 3D view drawn
 * again has none), right and bottom exclusive.
 */
function differingBounds(image: Rgba, baseline: Rgba, [x0, y0, x1, y1]: [number, number, number, number]): [number, number, number, number] | undefined {
  const differs = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= image.width || y >= image.height) return false;
    const at = (y * image.width + x) * 4;
    return image.data[at] !== baseline.data[at] || image.data[at + 1] !== baseline.data[at + 1] || image.data[at + 2] !== baseline.data[at + 2];
  };
  let [left, top, right, bottom] = [x1, y1, x0 - 1, y0 - 1];
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      if (!differs(x, y)) continue;
      let neighbours = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if ((dx || dy) && differs(x + dx, y + dy)) neighbours++;
      if (neighbours < 3) continue;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
    }
  }
  return right < left ? undefined : [left, top, right + 1, bottom + 1];
}

/** The bounds [left, top, right, bottom] (in cells) of the largest 4-connected group of marked cells. */
function largestBlock(marked: Uint8Array, columns: number, rows: number): [number, number, number, number] | undefined {
  const seen = new Uint8Array(marked.length);
  let best: { size: number; bounds: [number, number, number, number] } | undefined;
  for (let start = 0; start < marked.length; start++) {
    if (!marked[start] || seen[start]) continue;
    const stack = [start];
    seen[start] = 1;
    let size = 0;
    const bounds: [number, number, number, number] = [columns, rows, -1, -1];
    while (stack.length > 0) {
      const cell = stack.pop()!;
      const [cx, cy] = [cell % columns, Math.floor(cell / columns)];
      size++;
      bounds[0] = Math.min(bounds[0], cx);
      bounds[1] = Math.min(bounds[1], cy);
      bounds[2] = Math.max(bounds[2], cx);
      bounds[3] = Math.max(bounds[3], cy);
      for (const [nx, ny] of [
        [cx - 1, cy],
        [cx + 1, cy],
        [cx, cy - 1],
        [cx, cy + 1],
      ] as const) {
        const next = ny * columns + nx;
        if (nx >= 0 && ny >= 0 && nx < columns && ny < rows && marked[next] && !seen[next]) {
          seen[next] = 1;
          stack.push(next);
        }
      }
    }
    if (!best || size > best.size) best = { size, bounds };
  }
  return best?.bounds;
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
