import { chmod, copyFile, readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Blender's crash handler writes `<name>.crash.txt` (a backtrace) into its temp folder, which
 * is the run directory's: deleted after teardown. The report is moved next to the log
 * instead, as `blender-<runId>.crash.txt`, and its new path returned (undefined: no crash).
 */
export async function keepCrashReport(tmpDir: string, logsDir: string, runId: string): Promise<string | undefined> {
  const found = await findCrashReport(tmpDir);
  if (!found) return undefined;
  const kept = path.join(logsDir, `blender-${runId}.crash.txt`);
  await copyFile(found, kept);
  await chmod(kept, 0o600);
  return kept;
}

/** In the temp folder itself (Blender's base temp dir) or one level down (its session dir). */
async function findCrashReport(dir: string, depth = 0): Promise<string | undefined> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const report = entries.find((e) => e.isFile() && e.name.endsWith('.crash.txt'));
  if (report) return path.join(dir, report.name);
  if (depth > 0) return undefined;
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const nested = await findCrashReport(path.join(dir, entry.name), depth + 1);
    if (nested) return nested;
  }
  return undefined;
}
