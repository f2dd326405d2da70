import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

/** The comparison's rule: one for every Blender, since it runs here and not in Blender's Python. */
export interface CompareRule {
  /** pixelmatch's perceptual threshold (0 to 1: the largest OKLab HyAB distance still equal) */
  threshold: number;
  /** the share of pixels (0 to 1) that may be over the threshold */
  maxDiffRatio: number;
}

export const DEFAULT_RULE: CompareRule = { threshold: 0.1, maxDiffRatio: 0.01 };

export type Comparison =
  | { kind: 'size'; actual: { width: number; height: number }; expected: { width: number; height: number } }
  | {
      kind: 'pixels';
      /** within the rule */
      matches: boolean;
      /** pixels over the threshold (anti-aliasing detected and left out, as pixelmatch does) */
      differing: number;
      /** the pixels compared: width × height */
      total: number;
      ratio: number;
      /** the largest difference of one channel between the two images, 0 to 1 */
      largest: number;
      /** the diff image (PNG): the expected image faded, differing pixels red (darker in the render: blue) */
      diff: Buffer;
    };

/** A PNG file's pixels as RGBA, or a sentence saying why it is not one. */
export function readPng(bytes: Buffer): PNG | string {
  try {
    return PNG.sync.read(bytes);
  } catch (error) {
    return `not a PNG image (${(error as Error).message})`;
  }
}

/** The render (`actual`) against the approved image (`expected`), by the rule. */
export function compareImages(actual: PNG, expected: PNG, rule: CompareRule): Comparison {
  const { width, height } = expected;
  if (actual.width !== width || actual.height !== height) {
    return { kind: 'size', actual: { width: actual.width, height: actual.height }, expected: { width, height } };
  }
  const diff = new PNG({ width, height });
  const differing = pixelmatch(expected.data, actual.data, diff.data, width, height, { threshold: rule.threshold, diffColorAlt: [0, 90, 255] });
  const ratio = differing / (width * height);
  return {
    kind: 'pixels',
    matches: ratio <= rule.maxDiffRatio,
    differing,
    total: width * height,
    ratio,
    largest: largestDifference(actual.data, expected.data),
    diff: PNG.sync.write(diff),
  };
}

function largestDifference(a: Uint8Array, b: Uint8Array): number {
  let largest = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > largest) largest = d;
  }
  return largest / 255;
}

/** "3.2% of pixels (524 of 16384)": how a comparison is told. */
export function describeShare(differing: number, ratio: number, total: number): string {
  const percent = ratio * 100;
  const shown = percent === 0 ? '0' : percent < 0.01 ? '< 0.01' : percent < 10 ? percent.toFixed(2) : percent.toFixed(1);
  return `${shown}% of pixels (${differing} of ${total})`;
}
