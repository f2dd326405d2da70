import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatDuration } from '../duration.js';
import { UserError } from '../errors.js';
import type { BlenderLog } from './blender-log.js';
import { DRIVER_EXIT, type ReadyInfo } from './driver-protocol.js';
import { type BlenderProcess, type ExitInfo, describeExit } from './launch.js';
import { acceptsConnections, requireBlenderHoldsPort } from './port-owner.js';
import { capitalized } from '../text.js';

/** Short enough to add nothing a person notices, long enough to cost nothing idle. */
const POLL_MS = 5;

export interface ReadyWait {
  process: BlenderProcess;
  log: BlenderLog;
  readyFile: string;
  addonModule: string;
  host: string;
  port: number | undefined;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/**
 * Ready = the driver's ready file exists AND the add-on's port accepts a connection
 * (when a port is given), raced against Blender exiting and against the timeout.
 */
export async function waitForReady(wait: ReadyWait): Promise<ReadyInfo> {
  const stop = new AbortController();
  const progress = { readyInfo: undefined as ReadyInfo | undefined };
  const checks = pollUntilReady(wait, progress, stop.signal);
  const earlyExit = wait.process.exited.then((exit) => {
    throw new UserError(earlyExitSentence(exit, wait, progress.readyInfo !== undefined), logTail(wait.log));
  });
  const timeout = sleep(wait.timeoutMs, undefined, { signal: stop.signal }).then(() => {
    throw new UserError(timeoutSentence(wait, progress.readyInfo !== undefined), logTail(wait.log));
  });
  const cancelled = new Promise<never>((_, reject) => {
    wait.signal?.addEventListener('abort', () => reject(new UserError('The run was cancelled while Blender was starting.')), {
      once: true,
    });
  });
  try {
    return await Promise.race([checks, earlyExit, timeout, cancelled]);
  } finally {
    stop.abort();
    for (const loser of [checks, earlyExit, timeout, cancelled]) loser.catch(() => {});
  }
}

async function pollUntilReady(wait: ReadyWait, progress: { readyInfo: ReadyInfo | undefined }, signal: AbortSignal): Promise<ReadyInfo> {
  while (!signal.aborted) {
    progress.readyInfo ??= await readReadyFile(wait.readyFile);
    if (progress.readyInfo && (wait.port === undefined || (await acceptsConnections(wait.host, wait.port)))) {
      if (wait.port !== undefined) await requireBlenderHoldsPort(wait.port, wait.process.pid);
      return progress.readyInfo;
    }
    await sleep(POLL_MS);
  }
  throw new Error('ready wait stopped');
}

async function readReadyFile(file: string): Promise<ReadyInfo | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ReadyInfo;
  } catch {
    return undefined; // not there yet (the driver writes it atomically)
  }
}

function logTail(log: BlenderLog): string {
  return `Last lines of the Blender log (${log.path}):\n${log.tail()}`;
}

/** The exception line of the last Python traceback in the log, e.g. "RuntimeError: boom". */
function lastException(log: BlenderLog): string | undefined {
  const lines = log.tail(40).split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (/^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b.*/.test(line)) return line;
  }
  return undefined;
}

function earlyExitSentence(exit: ExitInfo, wait: ReadyWait, driverWasReady: boolean): string {
  const because = lastException(wait.log);
  const cause = because ? `: ${because}` : ' (see the log below)';
  switch (exit.exitCode) {
    case DRIVER_EXIT.addonEnableFailed: {
      if (because) return `The add-on '${wait.addonModule}' failed to enable${cause}.`;
      // No traceback: Blender refused it without a word; the driver says what it could tell.
      const said = /\[blender-bg\] enabling the add-on .* failed: (.*)$/m.exec(wait.log.tail(40));
      return `The add-on '${wait.addonModule}' failed to enable: ${said ? said[1] : 'Blender gave no reason'} (Blender's log: ${wait.log.path}).`;
    }
    case DRIVER_EXIT.addonNotStaged: {
      // The driver's own line: "the add-on 'x' was loaded from <file>, not from the copy under test in <dir>".
      const said = /\[blender-bg\] the add-on .* was loaded from (.*), not from the copy under test in (.*)$/m.exec(wait.log.tail(40));
      const where = said ? ` (${said[1]}) instead of the copy under test (${said[2]})` : ' instead of the copy under test';
      return `Blender loaded another add-on named '${wait.addonModule}'${where}; the run tests only the copy it staged.`;
    }
    case DRIVER_EXIT.coverageMissing:
      return driverSaid(wait.log) ?? "The coverage input needs coverage.py in Blender's Python, and it is not importable there: add python-packages: coverage.";
    case DRIVER_EXIT.startupFailed:
      return `The 'startup' snippet raised${cause}.`;
    case DRIVER_EXIT.pumpInvalid:
      return `Input 'pump' names a function Blender could not find${cause}.`;
    case DRIVER_EXIT.configInvalid:
    case DRIVER_EXIT.driverCrashed:
      return `The keep-alive driver failed${cause}; this is a bug in blender-bg-action, please report it with the log.`;
  }
  const stage = driverWasReady ? `after the add-on was enabled but before port ${wait.port} accepted connections` : 'before it was ready';
  return `Blender ${describeExit(exit)} ${stage}.`;
}

/** The driver's own last words (its fatal sentence), as one sentence. */
function driverSaid(log: BlenderLog): string | undefined {
  const line = log
    .tail(20)
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('[blender-bg] '));
  if (!line) return undefined;
  const text = line.slice('[blender-bg] '.length);
  return `${capitalized(text)}.`;
}

function timeoutSentence(wait: ReadyWait, driverWasReady: boolean): string {
  const limit = `startup-timeout (${formatDuration(wait.timeoutMs)})`;
  if (driverWasReady) {
    return `The add-on was enabled but nothing accepted connections on ${wait.host}:${wait.port} within ${limit}; check the port and that the server starts (the 'startup' input can start it).`;
  }
  return `Blender did not finish enabling the add-on within ${limit}.`;
}
