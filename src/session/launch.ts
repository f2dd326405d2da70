import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import type { BlenderLog } from './blender-log.js';
import { orphanGuard } from './orphan-guard.js';

export interface ExitInfo {
  exitCode: number | undefined;
  signal: string | undefined;
  /** Set when Blender could not be started at all (ENOENT, EACCES, ENOEXEC...). */
  spawnError: string | undefined;
}

export interface BlenderProcess {
  pid: number;
  exited: Promise<ExitInfo>;
  hasExited(): boolean;
  /**
   * Stops reading Blender's output. A leftover that inherited the pipe keeps it open after
   * Blender exits, and an open pipe would keep Node (the CLI, the action) from ever exiting.
   */
  release(): void;
}

export interface LaunchOptions {
  executable: string;
  args: string[];
  /** added to ours; a variable set to undefined is left out (the UI check's Blender must not see a Wayland session) */
  env: Record<string, string | undefined>;
  log: BlenderLog;
}

/**
 * Starts Blender in its own process group (detached), so a teardown can signal the whole
 * group and a cancelled job's ^C never reaches Blender before we decide to stop it.
 */
export function launchBlender(options: LaunchOptions): BlenderProcess {
  const subprocess = execa(options.executable, options.args, {
    detached: true,
    env: options.env,
    extendEnv: true,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    windowsHide: true,
  });
  // stdout and stderr read apart, each with its own unfinished line: a print() that arrives in two
  // pieces around a line of the other stream is still one line.
  for (const [source, output] of [
    ['stdout', subprocess.stdout],
    ['stderr', subprocess.stderr],
  ] as const) {
    output?.setEncoding('utf8');
    output?.on('data', (chunk: string) => {
      if (options.log.write(chunk, source)) return;
      output.pause(); // Blender then waits on its pipe: the log file sets the pace, memory stays flat
      options.log.onDrained(() => output.resume());
    });
  }

  // Blender's exit is the process's 'exit' event, not execa's promise: that one waits for
  // stdout to close, and a leftover child that inherited the pipe keeps it open.
  let done = false;
  const exited = new Promise<ExitInfo>((resolve) => {
    const settle = (info: ExitInfo) => {
      done = true;
      resolve(info);
    };
    subprocess.once('exit', (code, signal) => settle({ exitCode: code ?? undefined, signal: signal ?? undefined, spawnError: undefined }));
    subprocess.once('error', (error) => settle({ exitCode: undefined, signal: undefined, spawnError: error.message }));
  });
  subprocess.catch(() => {}); // reject: false; this only silences the promise we never await
  const pid = subprocess.pid ?? -1;
  // Killed outright, we could not stop it: the guard would.
  orphanGuard.watch(pid);
  const release = () => {
    for (const stream of [subprocess.stdout, subprocess.stderr]) stream?.destroy();
    orphanGuard.forget(pid);
  };
  return { pid, exited, hasExited: () => done, release };
}

/** Blender's exit, if it comes within `ms`; undefined if it still runs then. */
export async function exitWithin(blender: Pick<BlenderProcess, 'exited'>, ms: number): Promise<ExitInfo | undefined> {
  const stillRunning = Symbol('running');
  const timer = new AbortController();
  const first = await Promise.race([blender.exited, sleep(ms, stillRunning, { signal: timer.signal }).catch(() => stillRunning)]);
  timer.abort();
  return first === stillRunning ? undefined : (first as ExitInfo);
}

/** How Blender ended, if it ends within `graceMs` ("was killed by SIGSEGV"); undefined if it still runs. */
export async function exitedWithin(blender: BlenderProcess, graceMs: number): Promise<string | undefined> {
  const exit = await exitWithin(blender, graceMs);
  return exit && describeExit(exit);
}

export function describeExit(exit: ExitInfo): string {
  if (exit.spawnError) return `could not be started (${exit.spawnError})`;
  if (exit.signal) return `was killed by ${exit.signal}`;
  return `exited with code ${exit.exitCode}`;
}
