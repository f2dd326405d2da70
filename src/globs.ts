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
    const matches = (await glob(pattern, { cwd, absolute: true, onlyFiles: true, ignore: exclusions })).sort();
    if (matches.length === 0) {
      const why = isDynamicPattern(pattern) ? 'matches no files' : 'does not exist';
      const excluded = exclusions.length > 0 && (await glob(pattern, { cwd, onlyFiles: true })).length > 0;
      throw new UserError(`Input '${input}': '${pattern}' ${excluded ? 'matches only files the ! patterns exclude' : why} (relative to ${cwd}).`);
    }
    for (const match of matches) seen.add(path.normalize(match));
  }
  return [...seen];
}

/** Test files as pytest finds them in a folder (unittest discover finds a subset: test*.py in packages). */
const TEST_FILE_NAMES = '{test_*.py,*_test.py}';
/** Folders neither runner looks into (pytest's norecursedirs; hidden ones are never matched). */
const NOT_SEARCHED = ['__pycache__', 'node_modules', 'venv', 'build', 'dist'];

/**
 * The tests input: files and globs as for probes, and a folder stands for the test files in
 * it, at any depth, named as pytest and unittest name them (test_*.py, *_test.py).
 */
export async function expandTestPatterns(patterns: string[], cwd: string): Promise<string[]> {
  const expanded: string[] = [];
  const exclusions = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  for (const pattern of patterns) {
    const folder = !pattern.startsWith('!') && !isDynamicPattern(pattern) && isFolder(path.resolve(cwd, pattern)) ? pattern.replace(/[\\/]+$/, '') : undefined;
    if (folder === undefined) {
      expanded.push(pattern);
      continue;
    }
    const found = await glob(`${folder}/**/${TEST_FILE_NAMES}`, { cwd, onlyFiles: true, ignore: [...NOT_SEARCHED.map((name) => `${folder}/**/${name}/**`), ...exclusions] });
    if (found.length === 0) throw new UserError(`Input 'tests': the folder ${pattern} holds no test_*.py or *_test.py file (relative to ${cwd}).`);
    expanded.push(...found.sort());
  }
  return expandPatterns(expanded, cwd, 'tests');
}

function isFolder(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
