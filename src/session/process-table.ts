import { readdir, readFile } from 'node:fs/promises';
import { execa } from 'execa';

/** One row of the OS process table, with what we need to tell a run's processes apart. */
export interface ProcessEntry {
  pid: number;
  state: string;
  processGroup: number;
  session: number;
  command: string;
  /** undefined when it cannot be read: a zombie has no memory left to read it from */
  environment: string[] | undefined;
}

/** The process table: /proc on Linux, `ps` elsewhere on POSIX; Windows has neither. */
export async function listProcesses(): Promise<ProcessEntry[]> {
  if (process.platform === 'linux') return listFromProc();
  if (process.platform === 'win32') return [];
  return listFromPs();
}

async function listFromProc(): Promise<ProcessEntry[]> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const entries = await Promise.all(pids.map((pid) => readProcEntry(Number(pid))));
  return entries.filter((entry): entry is ProcessEntry => entry !== undefined);
}

async function readProcEntry(pid: number): Promise<ProcessEntry | undefined> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone between readdir and now
  }
  // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses.
  const commEnd = stat.lastIndexOf(')');
  const comm = stat.slice(stat.indexOf('(') + 1, commEnd);
  const [state = '?', , pgrp = '0', session = '0'] = stat.slice(commEnd + 2).split(' ');
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
  return {
    pid,
    state,
    processGroup: Number(pgrp),
    session: Number(session),
    command: cmdline.split('\0').filter(Boolean).join(' ') || `[${comm}]`,
    environment: environ === '' ? undefined : environ.split('\0'),
  };
}

/** macOS and the BSDs: `ps -E` appends each process's environment to its command. */
async function listFromPs(): Promise<ProcessEntry[]> {
  const { stdout } = await execa('ps', ['-A', '-E', '-ww', '-o', 'pid=,pgid=,sess=,stat=,command='], { reject: false });
  const entries: ProcessEntry[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!match) continue;
    entries.push({
      pid: Number(match[1]),
      processGroup: Number(match[2]),
      session: Number(match[3]),
      state: match[4]!.charAt(0),
      command: match[5]!,
      environment: match[5]!.split(' '),
    });
  }
  return entries;
}
