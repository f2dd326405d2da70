import { readFile, readdir } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface ProcessCounters {
  /** user + system CPU time, ms */
  cpuMs: number;
  /** context switches of all threads: each is a wakeup or a preemption */
  switches: number;
}

/** Linux /proc counters of one process (all its threads). */
async function readCounters(pid: number): Promise<ProcessCounters> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS; // utime, stime
  let switches = 0;
  for (const task of await readdir(`/proc/${pid}/task`)) {
    const status = await readFile(`/proc/${pid}/task/${task}/status`, 'utf8').catch(() => '');
    for (const match of status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)$/gm)) switches += Number(match[1]);
  }
  return { cpuMs, switches };
}

/** CPU share of one core (%) and wakeups per second over `seconds` of idling. */
export async function idleCost(pid: number, seconds: number): Promise<{ cpuPercent: number; wakeupsPerSecond: number }> {
  const before = await readCounters(pid);
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = await readCounters(pid);
  const wallMs = performance.now() - started;
  return {
    cpuPercent: ((after.cpuMs - before.cpuMs) / wallMs) * 100,
    wakeupsPerSecond: ((after.switches - before.switches) * 1000) / wallMs,
  };
}
