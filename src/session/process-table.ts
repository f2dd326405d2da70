import { readdir, readFile } from 'node:fs/promises';
import { execa } from 'execa';

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

/** The process table: /proc on Linux, `ps` elsewhere on POSIX, CIM (Win32_Process) on Windows. */
export async function listProcesses(): Promise<ProcessEntry[]> {
  if (process.platform === 'linux') return listFromProc();
  if (process.platform === 'win32') return listFromCim();
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

/**
 * A lister's output, whatever its exit code (BusyBox's ps refuses -E, and the plain listing is
 * still read); a lister that cannot start at all throws: no listing must never read as "nothing left".
 */
async function listing(command: string, args: string[]): Promise<{ stdout: string }> {
  const run = await execa(command, args, { stdin: 'ignore', reject: false });
  if (run.failed && run.exitCode === undefined) throw new Error(`${command} could not run: ${run.shortMessage}`);
  return run;
}

/**
 * macOS and the BSDs: `ps -E` appends each process's environment to its command, so it is
 * asked twice: with -E for the run id, without for the command line reports print (an
 * environment may hold secrets; reports never show one).
 */
async function listFromPs(): Promise<ProcessEntry[]> {
  const run = (args: string[]) => listing('ps', args);
  const [withEnvironment, plain] = await Promise.all([run(PS_ARGS), run(PS_ARGS.filter((arg) => arg !== '-E'))]);
  return parsePs(withEnvironment.stdout, plain.stdout);
}

export const PS_ARGS = ['-A', '-E', '-ww', '-o', 'pid=,ppid=,pgid=,sess=,stat=,command='];

/**
 * `ps -A [-E] -ww -o pid=,ppid=,pgid=,sess=,stat=,command=` as macOS prints it: the -E listing
 * gives the environments, the plain one the commands. Its `sess` is not a number there (a
 * kernel address, or 0): kept only when it is one.
 */
export function parsePs(withEnvironment: string, plain: string): ProcessEntry[] {
  const commands = new Map(psRows(plain).map((row) => [row.pid, row.rest]));
  return psRows(withEnvironment).map((row) => ({
    pid: row.pid,
    parent: row.parent,
    start: undefined,
    processGroup: row.processGroup,
    session: row.session,
    state: row.state,
    command: commands.get(row.pid) ?? row.rest.split(' ')[0] ?? '',
    environment: row.rest.split(' '),
  }));
}

function psRows(stdout: string) {
  const rows = [];
  for (const line of stdout.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!match) continue;
    rows.push({
      pid: Number(match[1]),
      parent: Number(match[2]),
      processGroup: Number(match[3]),
      session: /^\d+$/.test(match[4]!) ? Number(match[4]) : 0,
      state: match[5]!.charAt(0),
      /** the command, and with -E its environment after it */
      rest: match[6]!,
    });
  }
  return rows;
}

/**
 * Windows: Win32_Process through PowerShell's CIM cmdlets. No environments (another process's
 * cannot be read without a debugger's rights) and no process groups: a run's processes are
 * found by ancestry there (teardown notes Blender's descendants before it stops it).
 */
async function listFromCim(): Promise<ProcessEntry[]> {
  const { stdout } = await listing('powershell', ['-NoProfile', '-NonInteractive', '-Command', CIM_QUERY]);
  return parseCim(stdout);
}

export const CIM_QUERY = 'Get-CimInstance Win32_Process | Select-Object ProcessId,ParentProcessId,Name,CommandLine | ConvertTo-Json -Compress';

interface CimProcess {
  ProcessId: number;
  ParentProcessId: number;
  Name: string | null;
  CommandLine: string | null;
}

/** ConvertTo-Json prints one object, not an array, when there is one process. */
export function parseCim(stdout: string): ProcessEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout.trim() || '[]');
  } catch {
    return [];
  }
  const rows = (Array.isArray(parsed) ? parsed : [parsed]) as CimProcess[];
  return rows
    .filter((row) => typeof row?.ProcessId === 'number')
    .map((row) => ({
      pid: row.ProcessId,
      parent: row.ParentProcessId,
      start: undefined,
      processGroup: 0,
      session: 0,
      state: 'R',
      command: row.CommandLine || row.Name || `[pid ${row.ProcessId}]`,
      environment: undefined,
    }));
}
