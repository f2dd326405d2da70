import { copyFile, mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { displayPath } from '../display-path.js';
import { errorMessage } from '../errors.js';
import type { MatrixReport } from '../report/matrix.js';
import type { RunOutcome } from '../report/outcome.js';
import { resultFileOf } from '../report/result-file.js';
import { toolVersion } from '../package-files.js';
import type { ResultFile } from '../result-file/format.js';
import { pageHtml } from './page-html.js';
import { pageModel } from './page-model.js';

/**
 * The html-report folder: index.html and, in images/, a copy of every picture the runs name
 * (render, approved image, diff; the UI's pictures), so the folder works on its own when
 * downloaded as an artifact. Written into a new folder that then takes the old one's place: a
 * reader never sees half a report. Returns a sentence when it cannot be written (as
 * writeReport does), undefined when it was.
 */
export async function writeHtmlReport(
  folder: string,
  results: { label: string; result: ResultFile }[],
  matrix: MatrixReport | undefined,
  cwd = process.cwd(),
): Promise<string | undefined> {
  const target = path.resolve(cwd, folder);
  let building: string | undefined;
  try {
    await mkdir(path.dirname(target), { recursive: true });
    building = await mkdtemp(`${target}.writing-`); // beside it (one file system: the rename is atomic), one per writer
    await mkdir(path.join(building, 'images'));
    const copied = new Map<string, string>();
    const pictures: string[] = [];
    for (const { result } of results) pictures.push(...picturesOf(result, cwd));
    for (const source of pictures) {
      if (copied.has(source) || !(await stat(source).catch(() => undefined))?.isFile()) continue;
      const name = `images/${copied.size + 1}-${path.basename(source)}`;
      await copyFile(source, path.join(building, name));
      copied.set(source, name);
    }
    const model = pageModel(results, matrix, (file) => (file ? copied.get(path.resolve(cwd, file)) : undefined));
    await writeFile(path.join(building, 'index.html'), pageHtml(model));
    await swapIn(building, target);
    return undefined;
  } catch (error) {
    if (building) await rm(building, { recursive: true, force: true }).catch(() => undefined);
    return `Input 'html-report': ${displayPath(target, cwd) || target} could not be written (${errorMessage(error)}).`;
  }
}

/** A run's page, from its outcome as its result file has it (a whole run's, or a --watch run's). */
export function writeRunHtmlReport(folder: string, outcome: RunOutcome, addonInput: string | undefined, cwd = process.cwd()): Promise<string | undefined> {
  const result = resultFileOf(outcome, { addonInput, toolVersion: toolVersion() });
  return writeHtmlReport(folder, [{ label: outcome.blenderVersion ?? 'this run', result }], undefined, cwd);
}

/** Every picture a result file names, as absolute paths: snapshot renders, approved images and diffs; the UI's pictures. */
function picturesOf(result: ResultFile, cwd: string): string[] {
  const files: string[] = [];
  for (const s of result.snapshots ?? []) for (const file of [s.actual, s.expected, s.diff]) if (file) files.push(path.resolve(cwd, file));
  for (const t of result.ui?.targets ?? []) if (t.image) files.push(path.resolve(cwd, t.image));
  return files;
}

/**
 * The new folder in the old one's place. The old one is first renamed aside (atomic, never
 * half-removed under a reader or another writer), then the new one renamed in. Two runs writing
 * the same folder at once (parallel CLI runs in one checkout) may meet between the two renames:
 * the one that finds the place taken again tries again; the last writer's page stays, whole.
 */
async function swapIn(building: string, target: string): Promise<void> {
  const aside = `${building}.old`;
  for (let attempt = 1; ; attempt++) {
    await rename(target, aside).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rm(aside, { recursive: true, force: true });
    try {
      await rename(building, target);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 10 || (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM')) throw error;
    }
  }
}
