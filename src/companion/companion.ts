import { setTimeout as sleep } from 'node:timers/promises';
import { formatDuration } from '../duration.js';
import { UserError } from '../errors.js';
import { BlenderLog } from '../session/blender-log.js';
import { CommandGroup, descendantsOfCommand } from '../session/command-group.js';
import type { Descendant } from '../session/driver-protocol.js';
import { describeExit } from '../session/launch.js';
import { acceptsConnections } from '../session/port-owner.js';

/**
 * The processes the run starts beside Blender (the companion, MCP bridges over stdio) carry
 * this value of the run-id variable: their own, so that what they leave is named as theirs.
 */
export function companionTag(runId: string): string {
  return `${runId}-companion`;
}

export interface CompanionOptions {
  /** the companion input, its {port} and {companion-port} filled in */
  command: string;
  env: Record<string, string>;
  /** companion-port: the run waits until it accepts connections */
  port: number | undefined;
  host: string;
  tag: string;
  logFile: string;
  onLine: (line: string) => void;
  /** how long it may take to accept connections on its port (startup-timeout) */
  readyTimeoutMs: number;
}

/** How the companion ended, once it has been stopped (or found gone). */
export interface CompanionEnd {
  command: string;
  logPath: string;
  /** how it ended before teardown asked it to ("exited with code 3"), if it did */
  endedEarly: string | undefined;
  /** it did not end within shutdown-timeout of SIGTERM: its group was killed */
  killed: boolean;
  /** its last lines, for a failure that needs them */
  tail: string;
  /** it never got ready (ready() said why, as the session's failure): how it ended is not a second problem */
  failedToStart: boolean;
}

/**
 * The companion: a bridge, an MCP server, anything the probes reach besides Blender. Started
 * once Blender is ready, stopped at teardown before Blender (its group: SIGTERM, then
 * SIGKILL), and checked for what it left.
 */
export class Companion {
  private failedToStart = false;

  private constructor(
    private readonly group: CommandGroup,
    private readonly log: BlenderLog,
  ) {}

  /** Started (its port not waited for yet: ready() does, so that a companion that never gets there is still there to stop). */
  static start(options: CompanionOptions): Companion {
    const log = new BlenderLog(options.logFile, options.onLine);
    const group = CommandGroup.start({ command: options.command, env: options.env, tag: options.tag, log });
    return new Companion(group, log);
  }

  /** With companion-port: its port accepts connections, raced against its exit, startup-timeout and cancellation. */
  async ready(options: CompanionOptions, signal: AbortSignal | undefined): Promise<void> {
    if (options.port === undefined) return;
    const deadline = performance.now() + options.readyTimeoutMs;
    const where = `${options.host}:${options.port}`;
    while (!signal?.aborted) {
      if (await acceptsConnections(options.host, options.port)) return;
      if (this.group.hasExited())
        throw this.failed(
          `The companion (${this.group.command}) ${describeExit(await this.group.exited)} before it accepted connections on ${where}.`,
          this.tailText(),
        );
      if (performance.now() > deadline) {
        throw this.failed(
          `The companion (${this.group.command}) did not accept connections on ${where} within ${formatDuration(options.readyTimeoutMs)} (startup-timeout).`,
          this.tailText(),
        );
      }
      await sleep(25);
    }
  }

  get logPath(): string {
    return this.log.path;
  }

  get pid(): number {
    return this.group.pid;
  }

  /** Who is below it now: once it has gone, a child that left its group is found by ancestry only through this. */
  below(): Promise<Descendant[]> {
    return descendantsOfCommand(this.group);
  }

  /** Stops its group (SIGTERM, SIGKILL after `graceMs`). */
  async stop(graceMs: number): Promise<CompanionEnd> {
    const stop = await this.group.stop(graceMs);
    await this.log.close();
    return {
      command: this.group.command,
      logPath: this.log.path,
      endedEarly: stop.early && describeExit(stop.early),
      killed: stop.killed,
      tail: this.tailText(),
      failedToStart: this.failedToStart,
    };
  }

  private failed(sentence: string, details: string): UserError {
    this.failedToStart = true;
    return new UserError(sentence, details);
  }

  private tailText(): string {
    const tail = this.log.tail();
    return tail === '' ? `The companion printed nothing (its log: ${this.log.path}).` : `The companion's last lines (its log: ${this.log.path}):\n${tail}`;
  }
}
