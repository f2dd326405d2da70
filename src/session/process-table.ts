import { readdir, readFile } from 'node:fs/promises';
import { getExecOutput } from '@actions/exec';

/** One row of the OS process table, with what we need to tell a run's processes apart. */
export interface ProcessEntry {
  pid: number;
  state: string;
  parent: number;
  /** start time in clock ticks since boot (Linux), to tell a reused pid apart */
  start: number | undefined;
  processGroup: number;
  session: number;
  command: string;
  /** undefined when it cannot be read: a zombie has no memory left to read it from */
  environment: string[] | undefined;
}

/** Every process below `pid` in `table`, by parent links. */
export function descendantsIn(table: ProcessEntry[], pid: number): ProcessEntry[] {
  const children = new Map<number, ProcessEntry[]>();
  for (const entry of table) children.set(entry.parent, [...(children.get(entry.parent) ?? []), entry]);
  const found: ProcessEntry[] = [];
  const todo = [pid];
  while (todo.length > 0) {
    for (const child of children.get(todo.pop()!) ?? []) {
      found.push(child);
      todo.push(child.pid);
    }
  }
  return found;
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
  const fields = stat.slice(commEnd + 2).split(' ');
  const [state = '?', ppid = '0', pgrp = '0', session = '0'] = fields;
  const start = fields[19]; // field 22 of stat, counted from 3 (state)
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
  return {
    pid,
    state,
    parent: Number(ppid),
    start: start === undefined ? undefined : Number(start),
    processGroup: Number(pgrp),
    session: Number(session),
    command: cmdline.split('\0').filter(Boolean).join(' ') || `[${comm}]`,
    environment: environ === '' ? undefined : environ.split('\0'),
  };
}

/** macOS and the BSDs: `ps -E` appends each process's environment to its command. */
async function listFromPs(): Promise<ProcessEntry[]> {
  const { stdout } = await getExecOutput('ps', ['-A', '-E', '-ww', '-o', 'pid=,ppid=,pgid=,sess=,stat=,command='], { ignoreReturnCode: true, silent: true });
  const entries: ProcessEntry[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!match) continue;
    entries.push({
      pid: Number(match[1]),
      parent: Number(match[2]),
      start: undefined,
      processGroup: Number(match[3]),
      session: Number(match[4]),
      state: match[5]!.charAt(0),
      command: match[6]!,
      environment: match[6]!.split(' '),
    });
  }
  return entries;
}
