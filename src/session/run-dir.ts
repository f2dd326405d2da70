import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ensurePrivateDir } from './private-dir.js';

/**
 * One run's private files. `root` is removed after teardown; the log (and a crash report)
 * live outside it, in `logsDir`, because logs are kept for the user whatever happens.
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
  /** the driver's StopRecord */
  stopFile: string;
  /** the driver's deprecation warnings (JSON lines) */
  deprecationsFile: string;
  /** the exceptions the add-on's code raised in the background (JSON lines) */
  addonErrorsFile: string;
  /** coverage.py's data file and the JSON report the driver makes of it */
  coverage: { dataFile: string; jsonFile: string };
  logsDir: string;
  logFile: string;
  /** a failed render step's actual, expected and diff images (kept, as the logs are; made when needed) */
  snapshotResults: string;
  /** the UI check's pictures (kept, as the logs are; made when needed) */
  uiResults: string;
}

/** Where run directories go: RUNNER_TEMP on GitHub runners (emptied after each job), the OS temp dir elsewhere. */
function defaultRunBase(): { dir: string; setBy: string } {
  const runnerTemp = process.env['RUNNER_TEMP'];
  const parent = runnerTemp || os.tmpdir();
  return { dir: path.join(parent, 'blender-bg-action'), setBy: runnerTemp ? 'RUNNER_TEMP' : 'the temporary directory (TMPDIR)' };
}

/**
 * A fresh run directory: made with mkdtemp (0700, never reused) inside a base directory that
 * is ours alone. On a shared machine another user who owned or could write the base could
 * swap a run's files (the driver config, the add-on) and run their Python in our Blender.
 */
export async function createRunDir(base = defaultRunBase()): Promise<RunDir> {
  await ensurePrivateDir(base.dir, base.setBy);
  const logsDir = path.join(base.dir, 'logs');
  await ensurePrivateDir(logsDir, base.setBy);
  const root = await mkdtemp(path.join(base.dir, 'run-'));
  const runId = randomUUID();
  return {
    runId,
    root,
    tmp: await mkdtemp(path.join(root, 'tmp-')),
    profile: path.join(root, 'profile'),
    unzipped: path.join(root, 'unzipped'),
    driverConfig: path.join(root, 'driver.json'),
    readyFile: path.join(root, 'ready.json'),
    stopFile: path.join(root, 'stop.json'),
    deprecationsFile: path.join(root, 'deprecations.jsonl'),
    addonErrorsFile: path.join(root, 'addon-errors.jsonl'),
    coverage: { dataFile: path.join(root, 'coverage.data'), jsonFile: path.join(root, 'coverage.json') },
    logsDir,
    logFile: path.join(logsDir, `blender-${runId}.log`),
    snapshotResults: path.join(base.dir, 'snapshot-results', runId),
    uiResults: path.join(base.dir, 'ui-results', runId),
  };
}

export async function removeRunDir(runDir: RunDir): Promise<void> {
  await rm(runDir.root, { recursive: true, force: true, maxRetries: 3 });
}
