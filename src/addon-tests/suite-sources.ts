import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { displayPath } from '../display-path.js';

/** A Python file of the suite, read: where it is (as reports name it) and its lines. */
export interface SuiteSource {
  shown: string;
  lines: string[];
}

/**
 * What a suite is made of, read once for the questions asked of it before the tests run: the
 * test files and the helpers beside them (a conftest, a utils.py the tests import), sorted. A
 * file that cannot be read is left out (the runner will say so when it collects it).
 */
export async function readSuiteSources(testFiles: string[], cwd = process.cwd()): Promise<SuiteSource[]> {
  const files = new Set(testFiles.map((f) => path.resolve(cwd, f)));
  for (const folder of new Set([...files].map((f) => path.dirname(f)))) {
    for (const entry of await readdir(folder).catch(() => [] as string[])) if (entry.endsWith('.py')) files.add(path.join(folder, entry));
  }
  const sources: SuiteSource[] = [];
  for (const file of [...files].sort()) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text !== undefined) sources.push({ shown: displayPath(file, cwd), lines: text.split('\n') });
  }
  return sources;
}

/** The first line (file:line) of the suite that matches `line`, in a file whose text matches `file` if given. */
export function firstLine(sources: SuiteSource[], line: RegExp, file?: RegExp): string | undefined {
  for (const source of sources) {
    if (file && !source.lines.some((l) => file.test(l))) continue;
    const index = source.lines.findIndex((l) => line.test(l));
    if (index >= 0) return `${source.shown}:${index + 1}`;
  }
  return undefined;
}
