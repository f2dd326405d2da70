import { statSync } from 'node:fs';
import path from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { UserError } from './errors.js';

/**
 * Every file the patterns name. A pattern starting with `!` excludes what it matches from
 * all the others, whatever their order, as Actions users know from paths filters.
 */
export async function expandPatterns(patterns: string[], cwd: string, input: string): Promise<string[]> {
  const exclusions = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const seen = new Set<string>();
  for (const pattern of patterns.filter((p) => !p.startsWith('!'))) {
    // A plain path is looked at, not searched for: a glob of an absolute path walks from its root.
    const literal = !isDynamicPattern(pattern) && exclusions.length === 0 ? path.resolve(cwd, pattern) : undefined;
    const matches =
      literal !== undefined ? (isFile(literal) ? [literal] : []) : (await glob(pattern, { cwd, absolute: true, onlyFiles: true, ignore: exclusions })).sort();
    if (matches.length === 0) {
      const why = isDynamicPattern(pattern) ? 'matches no files' : 'does not exist';
      const excluded = exclusions.length > 0 && (await glob(pattern, { cwd, onlyFiles: true })).length > 0;
      throw new UserError(`Input '${input}': '${pattern}' ${excluded ? 'matches only files the ! patterns exclude' : why} (relative to ${cwd}).`);
    }
    for (const match of matches) seen.add(path.normalize(match));
  }
  return [...seen];
}

/**
 * The names test files go by in a folder: pytest's two (unittest discover finds a subset:
 * test*.py in packages), *_tests.py, the pattern suites with a runner of their own use
 * (sverchok's utils/testing.py), and *.test.py, per-file scripts run one Blender each
 * (`blender -b --python f.test.py`).
 */
const TEST_FILE_PATTERNS = [
  { glob: 'test_*.py', name: /^test_.*\.py$/ },
  { glob: '*_test.py', name: /_test\.py$/ },
  { glob: '*_tests.py', name: /_tests\.py$/ },
  { glob: '*.test.py', name: /\.test\.py$/ },
] as const;
const TEST_FILE_NAMES = `{${TEST_FILE_PATTERNS.map((p) => p.glob).join(',')}}`;

/** "test_*.py, *_test.py, *_tests.py or *.test.py" */
export const TEST_NAMES_SAID = `${TEST_FILE_PATTERNS.slice(0, -1)
  .map((p) => p.glob)
  .join(', ')} or ${TEST_FILE_PATTERNS.at(-1)!.glob}`;

/** How the test files found were named: "3 files named *_tests.py", "12 files named test_*.py and *_test.py". */
export function namedAs(files: string[]): string {
  const used = TEST_FILE_PATTERNS.filter((p) => files.some((f) => p.name.test(path.basename(f)))).map((p) => p.glob);
  const names = used.length > 1 ? `${used.slice(0, -1).join(', ')} and ${used.at(-1)}` : (used[0] ?? 'by the tests input');
  return `${files.length} file${files.length === 1 ? '' : 's'} named ${names}`;
}
/** Folders neither runner looks into (pytest's norecursedirs; hidden ones are never matched). */
const NOT_SEARCHED = ['__pycache__', 'node_modules', 'venv', 'build', 'dist'];

/**
 * The tests input: files and globs as for probes, and a folder stands for the test files in
 * it, at any depth, named as test files are (TEST_FILE_PATTERNS: test_*.py, *_test.py, *_tests.py, *.test.py).
 */
export async function expandTestPatterns(patterns: string[], cwd: string): Promise<string[]> {
  const expanded = new Set<string>();
  const negations = patterns.filter((p) => p.startsWith('!'));
  const exclusions = negations.map((p) => p.slice(1));
  for (const pattern of patterns.filter((p) => !p.startsWith('!'))) {
    const folder = isFolderPattern(pattern, cwd) ? pattern.replace(/[\\/]+$/, '') : undefined;
    if (folder === undefined) {
      for (const file of await expandPatterns([pattern, ...negations], cwd, 'tests')) expanded.add(file);
      continue;
    }
    // The files found are the result (not patterns again: a name may hold [ or *).
    const root = path.resolve(cwd, folder);
    // Searched from the folder itself (from the working directory, tinyglobby walks far more);
    // an exclusion names files from the working directory, or anywhere (**/...).
    const ignore = [
      ...NOT_SEARCHED.map((name) => `**/${name}/**`),
      ...exclusions.map((p) => (p.startsWith('**') ? p : path.relative(root, path.resolve(cwd, p)).split(path.sep).join('/'))),
    ];
    const found = await glob(`**/${TEST_FILE_NAMES}`, { cwd: root, absolute: true, onlyFiles: true, ignore });
    if (found.length === 0) throw new UserError(`Input 'tests': the folder ${pattern} holds no ${TEST_NAMES_SAID} file (relative to ${cwd}).`);
    for (const file of found.sort()) expanded.add(path.normalize(file));
  }
  return [...expanded];
}

/** A tests pattern that names a folder (it stands for the test files in it), not a file or a glob. */
export function isFolderPattern(pattern: string, cwd: string): boolean {
  return !pattern.startsWith('!') && !isDynamicPattern(pattern) && isFolder(path.resolve(cwd, pattern));
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
