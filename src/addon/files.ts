import { cp } from 'node:fs/promises';
import path from 'node:path';

/** Never copied or looked at: caches and version-control folders. */
export const SKIPPED = new Set(['__pycache__', '.git', '.hg', '.svn', 'node_modules', '.venv']);

/** Copies an add-on's file or folder into the profile, without caches and version control. */
export async function copyAddonFiles(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true, filter: (file) => !SKIPPED.has(path.basename(file)) });
}
