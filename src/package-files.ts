import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A file this package ships beside its code (python/, package.json): one level up from
 * dist/index.js, two from src/ folders in tests. Walk up rather than hard-code a depth.
 */
function packageFile(relative: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 4; level++) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`${relative} is missing from the blender-bg-action package`);
}

/** The scripts this package runs inside Blender, in its python/ folder. */
export type PythonScript = 'blender_bg_driver.py' | 'blender_bg_pip.py' | 'blender_bg_coverage.py' | 'blender_bg_ui.py';

export function pythonScriptPath(script: PythonScript): string {
  return packageFile(path.join('python', script));
}

/** This package's version, from its package.json. */
export function toolVersion(): string {
  return (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;
}
