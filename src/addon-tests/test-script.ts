import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgsStringToArgv } from 'string-argv';
import { UserError } from '../errors.js';

/** The suite's own runner script (test-script): what `blender -b --python PATH -- ARGS` names. */
export interface TestScript {
  path: string;
  /** what follows `--` on Blender's command line: the script's sys.argv after '--' */
  args: string[];
}

/**
 * `tests/runner.py -- --coverage` as Blender's command line has it: the script, then `--` and
 * its arguments. Anything after the path but before `--` would be Blender's own flag, not the
 * script's: refused in a sentence saying so (a string: the problem).
 */
export function parseTestScript(value: string): TestScript | string {
  const [script, ...rest] = parseArgsStringToArgv(value);
  if (script === undefined) return 'names no script';
  if (rest.length > 0 && rest[0] !== '--') {
    return `gives '${rest[0]}' after the script without '--' before it: the script's arguments come after '--', as on Blender's command line (${script} -- ${rest.join(' ')})`;
  }
  return { path: script, args: rest.slice(1) };
}

/** The script, checked to be a file before anything starts (its path as the run names it). */
export async function requireTestScript(script: TestScript, cwd = process.cwd()): Promise<TestScript> {
  const file = path.resolve(cwd, script.path);
  const found = await stat(file).catch(() => undefined);
  if (!found?.isFile()) throw new UserError(`test-script: ${script.path} is not a file (looked for ${file}).`);
  return { ...script, path: file };
}

/** The test files with the script among them (once): it is one more file of the suite, for the workers' queue and the shards. */
export function withTestScript(files: string[], script: TestScript | undefined, cwd = process.cwd()): string[] {
  if (!script || files.some((file) => path.resolve(cwd, file) === path.resolve(cwd, script.path))) return files;
  return [...files, script.path];
}

/** A batch of test files split into the files and the test script, when the batch holds it. */
export function splitTestScript(files: string[], script: TestScript | undefined, cwd = process.cwd()): { files: string[]; script: TestScript | undefined } {
  if (!script) return { files, script: undefined };
  const resolved = path.resolve(cwd, script.path);
  const isScript = (file: string) => path.resolve(cwd, file) === resolved;
  return { files: files.filter((file) => !isScript(file)), script: files.some(isScript) ? { path: resolved, args: script.args } : undefined };
}
