import { formatDuration } from '../duration.js';
import { errorMessage } from '../errors.js';
import { describeMismatch, matchSubset } from './match.js';
import type { StepResult } from './results.js';
import type { ProbeFile, ProbeStep, ProbeSuite } from './suite.js';
import { ClosedBeforeReplyError, TcpConnection, TransportError } from './transports/tcp.js';

export interface ProbeDefaults {
  host: string;
  port: number | undefined;
  timeoutMs: number;
}

/**
 * Runs every file's steps in order. A failing step never stops the run: later steps and
 * files still run. Only cancellation (`signal`) ends it early.
 */
export async function runProbes(
  suite: ProbeSuite,
  defaults: ProbeDefaults,
  onStep: (result: StepResult) => void,
  signal?: AbortSignal,
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const file of suite.files) {
    const client = new FileClient(file, defaults);
    try {
      for (const step of file.steps) {
        if (signal?.aborted) return results;
        const result = await runStep(client, file, step, defaults, signal);
        // A step cut short by cancellation says nothing about the addon: not a failure.
        if (signal?.aborted && !result.passed) return results;
        results.push(result);
        onStep(result);
      }
    } finally {
      client.close();
    }
  }
  return results;
}

async function runStep(client: FileClient, file: ProbeFile, step: ProbeStep, defaults: ProbeDefaults, cancel?: AbortSignal): Promise<StepResult> {
  const started = performance.now();
  const base = { file: file.path, fileName: file.name, step: step.name, line: step.line };
  const timeoutMs = step.timeoutMs ?? defaults.timeoutMs;
  const signal = cancel ? AbortSignal.any([cancel, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  const done = (outcome: Omit<StepResult, keyof typeof base | 'durationMs'>): StepResult => ({
    ...base,
    durationMs: performance.now() - started,
    ...outcome,
  });

  let reply: string;
  try {
    reply = await client.request(JSON.stringify(step.send), signal);
  } catch (error) {
    const timedOut = error instanceof TransportError && signal.aborted && !cancel?.aborted;
    const failure = timedOut ? `no reply within ${formatDuration(timeoutMs)} (probe-timeout)` : errorMessage(error);
    return done({ passed: false, failure });
  }

  let actual: unknown;
  try {
    actual = JSON.parse(reply);
  } catch {
    return done({ passed: false, failure: 'the reply is not valid JSON', reply });
  }
  if (step.expect === undefined) return done({ passed: true, reply });
  const mismatch = matchSubset(step.expect, actual);
  if (!mismatch) return done({ passed: true, reply });
  return done({ passed: false, failure: describeMismatch(mismatch), mismatch, reply });
}

/** A file's connection: opened on first use, reused across steps, reopened after a close. */
class FileClient {
  private connection: TcpConnection | undefined;
  private readonly host: string;
  private readonly port: number;

  constructor(
    private readonly file: ProbeFile,
    defaults: ProbeDefaults,
  ) {
    this.host = file.target.host ?? defaults.host;
    // main.ts refuses a suite with a file that has no port before Blender starts.
    this.port = file.target.port ?? defaults.port!;
  }

  async request(payload: string, signal: AbortSignal): Promise<string> {
    const reused = this.connection !== undefined && !this.connection.closed;
    try {
      return await this.send(payload, signal);
    } catch (error) {
      // A server that closes after each reply may not have been seen closing yet: the
      // kept connection was stale, not the server wrong. Once more, on a fresh one.
      if (reused && error instanceof ClosedBeforeReplyError) return this.send(payload, signal);
      throw error;
    }
  }

  private async send(payload: string, signal: AbortSignal): Promise<string> {
    if (!this.connection || this.connection.closed) {
      this.connection = await TcpConnection.open(this.host, this.port, signal);
    }
    return this.connection.request(payload, this.file.target.framing, signal);
  }

  close(): void {
    this.connection?.close();
  }
}
