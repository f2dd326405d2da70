import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import type { Readable, Writable } from 'node:stream';
import { RUN_ID_VARIABLE } from '../blender/invocation.js';
import type { BlenderLog } from './blender-log.js';
import type { Descendant } from './driver-protocol.js';
import { type ExitInfo, exitWithin } from './launch.js';
import { type LeftoverProcess, descendantsOf, findLeftovers, killLeftovers } from './leftovers.js';
import { listProcesses } from './process-table.js';
import { killProcessGroup, signal } from './teardown.js';
import { orphanGuard } from './orphan-guard.js';

/**
 * A command the run starts beside Blender (the companion, an MCP bridge over stdio): a shell
 * command line in its own process group, tagged so that whatever it starts can be found
 * after it has gone. The tag is not Blender's run id: what a bridge leaves is the bridge's,
 * not the add-on's.
 */
export interface CommandGroupOptions {
  /** a shell command line, as in a workflow's `run:`; or a program and its arguments, no shell between */
  command: string | { file: string; args: string[] };
  /** the whole environment it gets (the tag is added) */
  env: Record<string, string>;
  /** the value of the run-id variable its processes carry: the leftover scan looks for it */
  tag: string;
  /** every line it prints (stdout and stderr, or stderr alone with `talk`), with the log file kept */
  log: BlenderLog;
  /** stdin and stdout are the protocol (MCP over stdio): only stderr goes to the log */
  talk?: boolean;
  /** a pipe at its descriptor 3 it writes to when ready (Xvfb -displayfd 3): `readyPipe` */
  readyPipe?: boolean;
}

export interface CommandStop {
  /** how it ended, when it ended before it was asked to */
  early: ExitInfo | undefined;
  exit: ExitInfo;
  /** it did not end within the grace after SIGTERM and its group was killed */
  killed: boolean;
}

export class CommandGroup {
  private done = false;
  private stopping: Promise<CommandStop> | undefined;

  private constructor(
    readonly command: string,
    readonly pid: number,
    readonly exited: Promise<ExitInfo>,
    readonly stdin: Writable | undefined,
    readonly stdout: Readable | undefined,
    /** descriptor 3, with `readyPipe` */
    readonly readyPipe: Readable | undefined,
    private readonly release: () => void,
  ) {
    void exited.then(() => {
      this.done = true;
    });
  }

  static start(options: CommandGroupOptions): CommandGroup {
    const shell = typeof options.command === 'string';
    const [file, args] = typeof options.command === 'string' ? [options.command, []] : [options.command.file, options.command.args];
    const subprocess = execa(file, args, {
      shell,
      detached: true, // its own group: SIGTERM and SIGKILL reach a wrapper's children too (uvx → python)
      env: { ...options.env, [RUN_ID_VARIABLE]: options.tag },
      extendEnv: false,
      ...(options.readyPipe
        ? { stdio: [options.talk ? 'pipe' : 'ignore', 'pipe', 'pipe', 'pipe'] as const }
        : { stdin: options.talk ? ('pipe' as const) : ('ignore' as const) }),
      buffer: false,
      reject: false,
      windowsHide: true,
    });
    const logged = options.talk
      ? [['stderr', subprocess.stderr] as const]
      : ([
          ['stdout', subprocess.stdout],
          ['stderr', subprocess.stderr],
        ] as const);
    for (const [source, output] of logged) {
      output?.setEncoding('utf8');
      output?.on('data', (chunk: string) => options.log.write(chunk, source));
    }
    const exited = new Promise<ExitInfo>((resolve) => {
      subprocess.once('exit', (code, signal) => resolve({ exitCode: code ?? undefined, signal: signal ?? undefined, spawnError: undefined }));
      subprocess.once('error', (error) => resolve({ exitCode: undefined, signal: undefined, spawnError: error.message }));
    });
    subprocess.catch(() => {});
    const readyPipe = options.readyPipe ? (subprocess.stdio[3] as Readable | undefined) : undefined;
    const pid = subprocess.pid ?? -1;
    orphanGuard.watch(pid); // killed outright, we could not stop its group: the guard would
    const release = () => {
      for (const stream of [subprocess.stdin, subprocess.stdout, subprocess.stderr, readyPipe]) stream?.destroy();
      orphanGuard.forget(pid);
    };
    const shown = typeof options.command === 'string' ? options.command : [file, ...args].join(' ');
    return new CommandGroup(
      shown,
      pid,
      exited,
      (options.talk && subprocess.stdin) || undefined,
      (options.talk && subprocess.stdout) || undefined,
      readyPipe,
      release,
    );
  }

  hasExited(): boolean {
    return this.done;
  }

  /**
   * SIGTERM to the group, SIGKILL to the group after `graceMs`. Safe to call more than once.
   * `firstWaitMs`: how long to wait before SIGTERM for it to end on its own (a stdio server
   * ends when its stdin closes).
   */
  stop(graceMs: number, firstWaitMs = 0): Promise<CommandStop> {
    this.stopping ??= this.stopGroup(graceMs, firstWaitMs);
    return this.stopping;
  }

  private async stopGroup(graceMs: number, firstWaitMs: number): Promise<CommandStop> {
    const early = this.done ? await this.exited : undefined;
    let killed = false;
    if (!early) {
      this.stdin?.end();
      if (!(firstWaitMs > 0 && (await exitWithin(this, firstWaitMs)))) {
        signalGroup(this.pid, 'SIGTERM');
        if (!(await exitWithin(this, graceMs))) {
          killed = true;
          await killProcessGroup(this.pid);
        }
      }
    }
    const exit = await this.exited;
    // The group's other members may outlive its leader for a moment (they got the signal too):
    // a shell that did not exec its command goes first, its child is still on its way out.
    signalGroup(this.pid, 'SIGKILL');
    await groupEmptied(this.pid);
    this.release();
    return { early, exit, killed };
  }
}

/** This process's environment, the unset variables left out: what a command beside Blender starts from. */
export function runnerEnvironment(): Record<string, string> {
  return Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** What the tagged processes left once their commands ended: killed, and named. */
export async function commandLeftovers(
  tag: string,
  group: number | undefined,
  below: Descendant[],
): Promise<{ leftovers: LeftoverProcess[]; unkillable: LeftoverProcess[] }> {
  // A zombie's environment cannot be read: its group says whose it is (never 0: the kernel's threads).
  const run = { runId: tag, blenderPid: group ?? -1, descendants: below };
  // A zombie is dead already: one here is a group member whose shell parent went first, waiting for init to reap it.
  const leftovers = (await findLeftovers(run)).filter((p) => p.state !== 'Z');
  const unkillable = leftovers.length > 0 ? await killLeftovers(run, leftovers) : [];
  return { leftovers, unkillable };
}

/** Who is below the command now: a child that leaves its group and clears its environment is still found by ancestry. */
export function descendantsOfCommand(group: CommandGroup): Promise<Descendant[]> {
  return group.hasExited() ? Promise.resolve([]) : descendantsOf(group.pid);
}

/** Until no live process is left in the group (zombies are dead already), up to `waitMs`: the leftover scan comes next. */
async function groupEmptied(pid: number, waitMs = 2000): Promise<void> {
  if (pid <= 0 || process.platform === 'win32') return;
  const deadline = Date.now() + waitMs;
  while ((await listProcesses()).some((p) => p.processGroup === pid && p.state !== 'Z') && Date.now() < deadline) await sleep(10);
}

/** Windows has no groups to signal: its stop is taskkill's, after the grace. */
function signalGroup(pid: number, name: NodeJS.Signals): void {
  if (pid > 0 && process.platform !== 'win32') signal(-pid, name);
}
