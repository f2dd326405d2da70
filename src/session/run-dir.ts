import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * One run's private files. `root` is removed after teardown; the log lives outside it,
 * in `logsDir`, because logs are kept for the user whatever happens.
 */
export interface RunDir {
  runId: string;
  root: string;
  /** Blender's TMPDIR: its own /tmp/blender_XXXX dirs land here, not in the runner's /tmp. */
  tmp: string;
  profile: string;
  /** a zipped addon, unpacked for a look inside before anything is installed */
  unzipped: string;
  driverConfig: string;
  readyFile: string;
  logFile: string;
}

/** RUNNER_TEMP on GitHub runners (emptied after each job), the OS temp dir elsewhere. */
function baseDir(): string {
  return path.join(process.env['RUNNER_TEMP'] || os.tmpdir(), 'blender-bg-action');
}

export async function createRunDir(): Promise<RunDir> {
  const runId = randomUUID();
  const root = path.join(baseDir(), `run-${runId}`);
  const logsDir = path.join(baseDir(), 'logs');
  const tmp = path.join(root, 'tmp');
  await mkdir(tmp, { recursive: true, mode: 0o700 });
  await mkdir(logsDir, { recursive: true });
  return {
    runId,
    root,
    tmp,
    profile: path.join(root, 'profile'),
    unzipped: path.join(root, 'unzipped'),
    driverConfig: path.join(root, 'driver.json'),
    readyFile: path.join(root, 'ready.json'),
    logFile: path.join(logsDir, `blender-${runId}.log`),
  };
}

export async function removeRunDir(runDir: RunDir): Promise<void> {
  await rm(runDir.root, { recursive: true, force: true, maxRetries: 3 });
}
