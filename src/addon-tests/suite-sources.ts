import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { displayPath, isWithin } from '../display-path.js';

/** A Python file of the suite, read: where it is (as reports name it) and its lines. */
export interface SuiteSource {
  shown: string;
  lines: string[];
}

/** At most this many files are read for a suite (a suite importing a whole library stops here). */
const MOST_FILES = 500;

/**
 * What a suite is made of, read once for the questions asked of it before the tests run: the
 * test files, the helpers beside them, every conftest.py from their folders up to the
 * workspace, and what those import from within the workspace, followed file to file (a test in
 * tests/cases/ enabling the add-on through tests/utils.py one folder up). Not the add-on's own
 * files (`exclude`): they are what is tested, not the suite. Sorted; a file that cannot be read
 * is left out (the runner will say so when it collects it).
 */
export async function readSuiteSources(testFiles: string[], cwd = process.cwd(), exclude: string[] = []): Promise<SuiteSource[]> {
  const root = path.resolve(cwd);
  const excluded = exclude.map((folder) => path.resolve(cwd, folder));
  const within = (file: string) => isWithin(file, root) && !excluded.some((folder) => isWithin(file, folder));
  const read = new Map<string, string[]>();
  const given = new Set(testFiles.map((f) => path.resolve(cwd, f)));
  for (const folder of new Set([...given].map((f) => path.dirname(f)))) {
    for (const entry of await readdir(folder).catch(() => [] as string[])) if (entry.endsWith('.py')) given.add(path.join(folder, entry));
    for (let up = folder; isWithin(up, root); up = path.dirname(up)) {
      given.add(path.join(up, 'conftest.py'));
      if (up === root) break;
    }
  }
  // The test files and what is beside them are read wherever they are; what they import, within the workspace only.
  const queue = [...given];
  while (queue.length > 0 && read.size < MOST_FILES) {
    const file = queue.shift()!;
    if (read.has(file) || (!given.has(file) && !within(file))) continue;
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const lines = text.split('\n');
    read.set(file, lines);
    for (const imported of importsOf(lines)) queue.push(...(await filesOf(imported, file, root)));
  }
  return [...read.keys()].sort().map((file) => ({ shown: displayPath(file, cwd), lines: read.get(file)! }));
}

/** One import statement's target: `level` dots of a relative import, the dotted module, and the names taken from it. */
export interface PythonImport {
  level: number;
  module: string;
  names: string[];
}

/** The imports of a Python file (`import a.b, c`, `from .x import y, z`, `from .. import utils`), read by line. */
export function importsOf(lines: string[]): PythonImport[] {
  const found: PythonImport[] = [];
  for (const line of lines) {
    const from = /^\s*from\s+(\.*)([\w.]*)\s+import\s+\(?\s*([\w\s,]+)/.exec(line);
    if (from) {
      const names = from[3]!
        .split(',')
        .map((n) => n.trim().split(/\s+/)[0]!)
        .filter(Boolean);
      found.push({ level: from[1]!.length, module: from[2]!, names });
      continue;
    }
    const plain = /^\s*import\s+([\w.,\s]+)/.exec(line);
    if (plain) for (const name of plain[1]!.split(',')) found.push({ level: 0, module: name.trim().split(/\s+/)[0]!, names: [] });
  }
  return found.filter((i) => i.module !== '' || i.level > 0);
}

/**
 * The files within `root` an import from `importer` may load: a relative one from the importer's
 * package; an absolute one from any folder between the importer and the root (where a suite's
 * own loop puts its folders on sys.path), as a module or a package, and each name taken from it
 * as a submodule. Only files that exist.
 */
async function filesOf(imported: PythonImport, importer: string, root: string): Promise<string[]> {
  const bases: string[] = [];
  if (imported.level > 0) {
    let base = path.dirname(importer);
    for (let up = 1; up < imported.level; up++) base = path.dirname(base);
    bases.push(base);
  } else {
    for (let up = path.dirname(importer); isWithin(up, root); up = path.dirname(up)) {
      bases.push(up);
      if (up === root) break;
    }
  }
  const candidates: string[] = [];
  for (const base of bases) {
    const module = path.join(base, ...imported.module.split('.').filter(Boolean));
    candidates.push(`${module}.py`, path.join(module, '__init__.py'));
    for (const name of imported.names) candidates.push(path.join(module, `${name}.py`), path.join(module, name, '__init__.py'));
    // `import a.b` loads a/__init__.py too
    const parts = imported.module.split('.');
    for (let i = 1; i < parts.length; i++) candidates.push(path.join(base, ...parts.slice(0, i), '__init__.py'));
  }
  const found: string[] = [];
  for (const candidate of candidates) if ((await stat(candidate).catch(() => undefined))?.isFile()) found.push(candidate);
  return found;
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
