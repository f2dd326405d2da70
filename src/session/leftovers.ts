import { setTimeout as sleep } from 'node:timers/promises';
import { RUN_ID_VARIABLE } from '../blender/invocation.js';
import type { Descendant } from './driver-protocol.js';
import { descendantsIn, listProcesses, type ProcessEntry } from './process-table.js';

export interface LeftoverProcess {
  pid: number;
  /** the process state letter: Z is a zombie, S sleeping, R running... */
  state: string;
  command: string;
}

/** What marks a process as this run's. */
export interface RunProcesses {
  runId: string;
  blenderPid: number;
  /**
   * Processes seen below Blender (before SIGTERM, and by the driver at the end of its stop):
   * found by ancestry, whatever they did to their environment, session or group.
   */
  descendants: Descendant[];
}

/**
 * Every process of this run still alive after Blender exited. A process belongs to the
 * run when its environment carries the run id (this finds children that left Blender's
 * process group with setsid or a double fork), when it was seen below Blender (this finds
 * `env -i setsid …`, which clears the tag), or, when its environment cannot be read
 * (zombies), when it is still in Blender's process group or session.
 */
export async function findLeftovers(run: RunProcesses): Promise<LeftoverProcess[]> {
  const tag = `${RUN_ID_VARIABLE}=${run.runId}`;
  const seenBelow = new Map(run.descendants.map((d) => [d.pid, d.start]));
  const belongs = (entry: ProcessEntry) =>
    entry.pid !== process.pid &&
    (isSameProcess(entry, seenBelow) ||
      (entry.environment === undefined ? entry.processGroup === run.blenderPid || entry.session === run.blenderPid : entry.environment.includes(tag)));
  return (await listProcesses()).filter(belongs).map(({ pid, state, command }) => ({ pid, state, command }));
}

/** Seen below Blender, and not a later process that got the same pid (start times differ). */
function isSameProcess(entry: ProcessEntry, seenBelow: Map<number, number | undefined>): boolean {
  if (!seenBelow.has(entry.pid)) return false;
  const start = seenBelow.get(entry.pid);
  return start === undefined || entry.start === undefined || start === entry.start;
}

/** Blender's descendants right now (before it is asked to stop): ancestry is lost once it exits. */
export async function descendantsOf(pid: number): Promise<Descendant[]> {
  return descendantsIn(await listProcesses(), pid).map((entry) => (entry.start === undefined ? { pid: entry.pid } : { pid: entry.pid, start: entry.start }));
}

/**
 * SIGKILLs every leftover and waits (up to `waitMs`) for them to be gone. A zombie dies
 * when its parent does (init reaps it), so killing the parents is what clears zombies.
 * Returns those still there at the end.
 */
export async function killLeftovers(run: RunProcesses, leftovers: LeftoverProcess[], waitMs = 3000): Promise<LeftoverProcess[]> {
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
    const alive = new Set((await findLeftovers(run)).filter((p) => p.state !== 'Z').map((p) => p.pid));
    remaining = remaining.filter((p) => alive.has(p.pid));
  }
  return remaining;
}

export function describeLeftover(leftover: LeftoverProcess): string {
  const what = leftover.state === 'Z' ? 'zombie' : `state ${leftover.state}`;
  return `pid ${leftover.pid} (${what}): ${leftover.command}`;
}
