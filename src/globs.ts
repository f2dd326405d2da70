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
