import path from 'node:path';

/**
 * A user's file as reports show it: relative to the working directory when inside it (what
 * GitHub annotations want: the workspace), else absolute.
 */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/** Whether `file` is `folder` or below it (paths as given, not resolved through links). */
export function isWithin(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
