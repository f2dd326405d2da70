import { fillPlaceholders } from '../text.js';

/** How many test workers a run starts, and the sentence when it starts fewer than asked. */
export interface WorkerPlan {
  count: number;
  /** why the run uses fewer workers than the input asked for, to tell the user */
  note: string | undefined;
}

/**
 * The workers for `files` test files: `auto` is the machine's cores; never more workers than
 * files (each worker is a whole Blender). An add-on that serves on `port` can open it in one
 * Blender only: more than one worker needs worker-env to give the others a port of their own.
 */
export function planWorkers(setting: number | 'auto', files: number, cores: number, port: number | undefined, hasWorkerEnv: boolean): WorkerPlan {
  const asked = setting === 'auto' ? Math.max(1, cores) : setting;
  const count = Math.max(1, Math.min(asked, files));
  if (count > 1 && port !== undefined && !hasWorkerEnv) {
    return {
      count: 1,
      note: `The tests run on one worker, not ${count}: the add-on serves on port ${port}, which only one Blender can open; name the variable it reads its port from in worker-env (e.g. MY_ADDON_PORT={port}) to give each worker its own.`,
    };
  }
  return { count, note: undefined };
}

/** worker-env for one worker: {port} and {worker} filled in. */
export function workerEnvironment(template: Record<string, string>, port: number | undefined, worker: number): Record<string, string> {
  return Object.fromEntries(Object.entries(template).map(([name, value]) => [name, fillPlaceholders(value, { port, worker })]));
}
