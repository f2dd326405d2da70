import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { displayPath } from '../display-path.js';
import { type SnapshotVerdict, type UpdateSnapshots, baselineCandidates, snapshotVerdict } from './baseline.js';
import { type Comparison, compareImages, describeShare, readPng } from './compare.js';

/** How a run compares renders: where approved images are looked for, where results go. */
export interface SnapshotSetting {
  update: UpdateSnapshots;
  /** snapshot-results: where the actual, expected and diff images of a failed comparison go */
  resultsDir: string;
  /** the Blender's version, for approved images kept per series */
  blenderVersion: string | undefined;
  cwd: string;
  /** where Blender writes a render before it is compared (the run's own folder) */
  renderDir: string;
}

/** One render step's comparison, for the report and the result file. */
export interface SnapshotRecord {
  /** the probe file and line, the approved image as the user names it */
  file: string;
  line: number;
  image: string;
  verdict: SnapshotVerdict;
  /** the share of pixels over the threshold, when compared */
  ratio?: number;
  /** written under snapshot-results when the comparison failed */
  actual?: string;
  expected?: string;
  diff?: string;
}

export interface SnapshotOutcome {
  record: SnapshotRecord;
  /** why the step fails */
  failure: string | undefined;
  /** what the run wrote (an approved image): said, not failed */
  note: string | undefined;
}

export interface SnapshotRequest {
  /** the probe file (as shown) and the step's line: results are named by them */
  probeFile: string;
  line: number;
  image: string;
  threshold: number;
  maxDiffRatio: number;
}

/** The render (a PNG file) against its approved image: pass, write it (update-snapshots), or fail with the three images written. */
export async function checkSnapshot(rendered: string, request: SnapshotRequest, setting: SnapshotSetting): Promise<SnapshotOutcome> {
  const probeFile = path.resolve(setting.cwd, request.probeFile);
  const candidates = baselineCandidates(probeFile, request.image, setting.blenderVersion);
  const plain = candidates[candidates.length - 1]!;
  const actualBytes = await readFile(rendered);
  const actual = readPng(actualBytes);
  if (typeof actual === 'string') throw new Error(`the render ${rendered} is ${actual}`);
  const approved = await firstReadable(candidates);
  const shown = (file: string) => displayPath(file, setting.cwd);
  const base = { file: request.probeFile, line: request.line, image: request.image };

  let comparison: Comparison | undefined;
  if (approved) {
    const expected = readPng(approved.bytes);
    if (typeof expected === 'string')
      return { record: { ...base, verdict: 'fail-differs' }, failure: `the approved image ${shown(approved.file)} is ${expected}`, note: undefined };
    comparison = compareImages(actual, expected, { threshold: request.threshold, maxDiffRatio: request.maxDiffRatio });
  }
  const matches = comparison?.kind === 'pixels' && comparison.matches;
  const verdict = snapshotVerdict(approved !== undefined, matches, setting.update);
  const ratio = comparison?.kind === 'pixels' ? comparison.ratio : undefined;
  const record: SnapshotRecord = { ...base, verdict, ...(ratio === undefined ? {} : { ratio }) };

  if (verdict === 'pass') return { record, failure: undefined, note: undefined };
  if (verdict === 'write') {
    const target = approved?.file ?? plain;
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, actualBytes);
    const why = !approved
      ? 'there was no approved image: commit it'
      : matches
        ? 'update-snapshots: all'
        : `update-snapshots: ${setting.update}; ${differenceText(comparison!, request)}`;
    return { record, failure: undefined, note: `${request.probeFile}:${request.line}: wrote ${shown(target)} from the render (${why}).` };
  }

  const folder = path.join(setting.resultsDir, path.basename(request.probeFile).replace(/\.[^.]*$/, ''));
  await mkdir(folder, { recursive: true });
  // By line as well: two steps of a file may compare with the same approved image.
  const stem = `${request.line}-${path.basename(request.image).replace(/\.png$/i, '')}`;
  const files = {
    actual: path.join(folder, `${stem}-actual.png`),
    expected: path.join(folder, `${stem}-expected.png`),
    diff: path.join(folder, `${stem}-diff.png`),
  };
  await writeFile(files.actual, actualBytes);
  if (verdict === 'fail-missing') {
    return {
      record: { ...record, actual: files.actual },
      failure: `no approved image ${shown(plain)}: run with --update-snapshots missing and commit it (this render: ${files.actual})`,
      note: undefined,
    };
  }
  await copyFile(approved!.file, files.expected);
  if (comparison!.kind === 'pixels') await writeFile(files.diff, comparison!.diff);
  const written = comparison!.kind === 'pixels' ? files : { actual: files.actual, expected: files.expected };
  return {
    record: { ...record, ...written },
    failure: `the render differs from ${shown(approved!.file)}: ${differenceText(comparison!, request)}; ${Object.keys(written).join(', ')} in ${folder}`,
    note: undefined,
  };
}

function differenceText(comparison: Comparison, request: SnapshotRequest): string {
  if (comparison.kind === 'size')
    return `the render is ${comparison.actual.width}×${comparison.actual.height}, the approved image ${comparison.expected.width}×${comparison.expected.height}`;
  const share = comparison.ratio === 0 ? 'no pixel' : describeShare(comparison.differing, comparison.ratio, comparison.total);
  return `${share} over the threshold ${request.threshold} (max-diff-ratio ${formatRatio(request.maxDiffRatio)}), the largest channel difference ${comparison.largest.toFixed(2)}`;
}

function formatRatio(ratio: number): string {
  return `${Number((ratio * 100).toFixed(4))}%`;
}

async function firstReadable(files: string[]): Promise<{ file: string; bytes: Buffer } | undefined> {
  for (const file of files) {
    const bytes = await readFile(file).catch(() => undefined);
    if (bytes) return { file, bytes };
  }
  return undefined;
}

/** The folder the failed comparisons' images went to (output snapshot-results), if any did. */
export function snapshotResultsFolder(records: SnapshotRecord[]): string | undefined {
  const written = records.find((r) => r.actual);
  return written?.actual && path.dirname(path.dirname(written.actual));
}
