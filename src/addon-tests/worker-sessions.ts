import { cp } from 'node:fs/promises';
import path from 'node:path';
import type { StagedAddon } from '../addon/staged-addon.js';
import type { Capabilities } from '../blender/capabilities.js';
import { blenderEnvironment, userDirsIn } from '../blender/invocation.js';
import { freePort } from '../session/free-port.js';
import { type RunDir, createRunDir, removeRunDir } from '../session/run-dir.js';
import { Session, type SessionOptions, type TeardownReport } from '../session/session.js';
import { workerEnvironment } from './worker-plan.js';

/** A test worker besides the first: a whole session of its own, started like the first. */
export interface TestWorkerSession {
  /** 2, 3, …: the first worker is the run's own session */
  number: number;
  session: Session;
  runDir: RunDir;
  addon: StagedAddon;
}

export interface WorkerSessionsPlan {
  /** how many besides the first */
  count: number;
  /** the first session's options: every worker starts as it did */
  base: SessionOptions;
  capabilities: Capabilities;
  /** the env input, and worker-env with {port} and {worker} to fill in */
  env: Record<string, string>;
  workerEnv: Record<string, string>;
  onOutput: (line: string) => void;
}

/**
 * Starts the other test workers (not waiting for them to be ready): each gets its own run dir
 * and a copy of the first session's isolated profile (the add-on staged exactly as there, so
 * no installer runs again), its own run id and control channel, and, when the add-on serves
 * on a port, the worker-env values with a free port of its own.
 */
export async function startWorkerSessions(plan: WorkerSessionsPlan): Promise<TestWorkerSession[]> {
  const workers: TestWorkerSession[] = [];
  try {
    for (let number = 2; number <= plan.count + 1; number++) {
      const runDir = await createRunDir();
      workers.push({ number, runDir, ...(await startOne(plan, number, runDir)) });
    }
  } catch (error) {
    await stopWorkerSessions(workers);
    await removeWorkerRunDirs(workers);
    throw error;
  }
  return workers;
}

async function startOne(plan: WorkerSessionsPlan, number: number, runDir: RunDir): Promise<{ session: Session; addon: StagedAddon }> {
  const first = plan.base;
  await cp(first.runDir.profile, runDir.profile, { recursive: true });
  const moved = (file: string) => path.join(runDir.profile, path.relative(first.runDir.profile, file));
  const userDirs = userDirsIn(runDir.profile);
  const addon: StagedAddon = {
    ...first.addon,
    userDirs,
    path: moved(first.addon.path),
    repository: first.addon.repository && { ...first.addon.repository, directory: moved(first.addon.repository.directory) },
  };
  // {port}: a free port of its own, whether or not the run names one (an add-on may serve on a
  // fixed default); the session waits for it only when the run waits for the first one's.
  const port = Object.values(plan.workerEnv).some((value) => value.includes('{port}')) ? await freePort() : undefined;
  const environment = blenderEnvironment({
    capabilities: plan.capabilities,
    userDirs,
    runId: runDir.runId,
    tmpDir: runDir.tmp,
    extra: { ...plan.env, ...workerEnvironment(plan.workerEnv, port, number) },
  });
  const session = await Session.start({ ...first, runDir, addon, environment, port: first.port === undefined ? undefined : port, onOutput: plan.onOutput });
  return { session, addon };
}

/** Stops every worker at once, each with its teardown and leftover scan. Their run dirs stay for what they wrote. */
export function stopWorkerSessions(workers: TestWorkerSession[], graceMs?: number): Promise<TeardownReport[]> {
  return Promise.all(workers.map((worker) => worker.session.stop(graceMs)));
}

export async function removeWorkerRunDirs(workers: TestWorkerSession[]): Promise<void> {
  await Promise.all(workers.map((worker) => removeRunDir(worker.runDir)));
}
