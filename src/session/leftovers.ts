import { setTimeout as sleep } from 'node:timers/promises';
import { RUN_ID_VARIABLE } from '../blender/invocation.js';
import { listProcesses, type ProcessEntry } from './process-table.js';

export interface LeftoverProcess {
  pid: number;
  /** the process state letter: Z is a zombie, S sleeping, R running... */
  state: string;
  command: string;
}

/**
 * Every process of this run still alive after Blender exited. A process belongs to the
 * run when its environment carries the run id (this finds children that left Blender's
 * process group with setsid or a double fork), or, when its environment cannot be read
 * (zombies), when it is still in Blender's process group or session.
 */
export async function findLeftovers(runId: string, blenderPid: number): Promise<LeftoverProcess[]> {
  const tag = `${RUN_ID_VARIABLE}=${runId}`;
  const belongs = (entry: ProcessEntry) =>
    entry.pid !== process.pid &&
    (entry.environment === undefined
      ? entry.processGroup === blenderPid || entry.session === blenderPid
      : entry.environment.includes(tag));
  return (await listProcesses()).filter(belongs).map(({ pid, state, command }) => ({ pid, state, command }));
}

/**
 * SIGKILLs every leftover and waits (up to `waitMs`) for them to be gone. A zombie dies
 * when its parent does (init reaps it), so killing the parents is what clears zombies.
 * Returns those still there at the end.
 */
export async function killLeftovers(runId: string, blenderPid: number, leftovers: LeftoverProcess[], waitMs = 3000): Promise<LeftoverProcess[]> {
  for (const leftover of leftovers) {
    try {
      process.kill(leftover.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + waitMs;
  let remaining = leftovers;
  while (remaining.length > 0 && Date.now() < deadline) {
    await sleep(20);
    // A zombie is dead already: only its table entry waits for init to reap it, and
    // some init processes (containers) reap slowly. Nothing more to kill there.
    const alive = new Set((await findLeftovers(runId, blenderPid)).filter((p) => p.state !== 'Z').map((p) => p.pid));
    remaining = remaining.filter((p) => alive.has(p.pid));
  }
  return remaining;
}

export function describeLeftover(leftover: LeftoverProcess): string {
  const what = leftover.state === 'Z' ? 'zombie' : `state ${leftover.state}`;
  return `pid ${leftover.pid} (${what}): ${leftover.command}`;
}
