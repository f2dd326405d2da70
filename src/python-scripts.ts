import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The scripts this package runs inside Blender, in its python/ folder. */
export type PythonScript = 'blender_bg_driver.py' | 'blender_bg_pip.py';

/**
 * A script of python/, which ships beside the code that runs it: ../python from
 * dist/index.js, ../../python from src/ folders in tests. Walk up rather than hard-code a depth.
 */
export function pythonScriptPath(script: PythonScript): string {
  const file = path.join('python', script);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let level = 0; level < 4; level++) {
    const candidate = path.join(dir, file);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`${file} is missing from the blender-bg-action package`);
}
