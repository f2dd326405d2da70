import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { formatDuration } from '../duration.js';
import { errorMessage } from '../errors.js';
import { takeCaptures } from './capture.js';
import { valueAt } from './json-path.js';
import { preview } from './json-values.js';
import { describeMismatch, match } from './match.js';
import { checkPattern } from './operand-checks.js';
import type { NotRunStep, StepResult } from './results.js';
import { type Clock, realClock, retry } from './retry.js';
import type { ProbeFile, ProbeStep, StepAction } from './suite.js';
import type { ProbeSuite } from './suite.js';
import { Scope, TemplateError, render } from './template.js';
import { BlenderCodeError, type BlenderControl, RenderRefusedError } from './transports/blender.js';
import { type SnapshotOutcome, type SnapshotSetting, checkSnapshot } from '../snapshots/snapshot-check.js';
import { httpRequest } from './transports/http.js';
import { ClosedBeforeReplyError, TcpConnection, TransportError } from './transports/tcp.js';
import { MAX_MESSAGE_BYTES, type WireFormat } from './framing.js';
import { McpFileSession, type McpSessionRecord } from './mcp-file.js';
import type { JsonValue } from './schema.js';
import { type McpSetting, describeRequest } from './transports/mcp.js';

export interface ProbeContext {
  host: string;
  port: number | undefined;
  timeoutMs: number;
  /** the largest reply read (max-reply-size); MAX_MESSAGE_BYTES when not given */
  maxReplyBytes?: number;
  /** the driver's control channel, for `blender` steps */
  control: BlenderControl | undefined;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /**
   * Whether the server's process has ended, waiting up to `graceMs` to find out: asked when
   * a step's connection fails, since a crash shows first as a reset connection and only
   * then as an exit. Resolves with how it ended ("was killed by SIGSEGV"), or undefined.
   */
  serverEnded?: (graceMs: number) => Promise<string | undefined>;
  /** how mcp targets are reached (stdio servers' environment and log, {port}, {companion-port}) */
  mcp?: McpSetting;
  /** a file's MCP session ended: what its server told and did (for the report) */
  onMcpSession?: (session: McpSessionRecord) => void;
  /** mcp-error-text: warn about a tool that fails in words only */
  mcpErrorText?: 'off' | 'warn';
  /** how render steps are compared (update-snapshots, snapshot-results, the Blender's series) */
  snapshots?: SnapshotSetting;
  /** a render step compared (its record; a note when it wrote an approved image) */
  onSnapshot?: (outcome: SnapshotOutcome) => void;
  /** something the user should notice that fails nothing (mcp-error-text) */
  onWarning?: (line: string, at: { file: string; line: number }) => void;
}

/** How long a failed connection waits to learn whether Blender itself has gone. */
export const SERVER_END_GRACE_MS = 500;

/**
 * Runs every file's steps in order. A failing step never stops the run: later steps and
 * files still run. Only cancellation (`signal`) and Blender's end stop it early: the steps
 * after that did not run (stepsNotRun), and say nothing about the add-on.
 */
export async function runProbes(suite: ProbeSuite, context: ProbeContext, onStep: (result: StepResult) => void, signal?: AbortSignal): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const file of suite.files) {
    const scope = new Scope(file.vars, context.env);
    const client = new FileClient(file, context);
    const mcp = file.target.mcp && new McpFileSession(file, context.mcp, (session) => context.onMcpSession?.(session));
    try {
      if (mcp) {
        const opened = await mcp.open(signal, context.timeoutMs);
        if (signal?.aborted) return results;
        results.push(opened);
        onStep(opened);
      }
      for (const step of file.steps) {
        if (signal?.aborted) return results;
        const result = await runStep(step, { file, scope, client, mcp, context, signal });
        // A step cut short by cancellation says nothing about the add-on: not a failure.
        if (signal?.aborted && !result.passed) return results;
        results.push(result);
        onStep(result);
        if (result.blenderExited) return results;
      }
    } finally {
      client.close();
      await mcp?.close();
    }
  }
  return results;
}

interface StepRun {
  file: ProbeFile;
  scope: Scope;
  client: FileClient;
  mcp: McpFileSession | undefined;
  context: ProbeContext;
  signal: AbortSignal | undefined;
}

interface Attempt {
  passed: boolean;
  final?: boolean;
  timedOut?: boolean;
  blenderExited?: boolean;
  failure?: string;
  mismatch?: StepResult['mismatch'];
  reply?: string;
  details?: string;
}

async function runStep(step: ProbeStep, run: StepRun): Promise<StepResult> {
  const clock = run.context.clock ?? realClock;
  const started = clock.now();
  const { outcome, attempts } = await retry(step.retry, (timeLeftMs) => attemptStep(step, run, timeLeftMs), clock, run.signal);
  const { passed, failure, mismatch, reply, details, timedOut, blenderExited } = outcome;
  return {
    file: run.file.path,
    fileName: run.file.name,
    step: step.name,
    line: step.line,
    kind: step.action.kind,
    passed,
    durationMs: clock.now() - started,
    attempts,
    ...(failure === undefined ? {} : { failure }),
    ...(mismatch === undefined ? {} : { mismatch }),
    ...(reply === undefined ? {} : { reply }),
    ...(details === undefined ? {} : { details }),
    ...(timedOut ? { timedOut } : {}),
    ...(blenderExited ? { blenderExited } : {}),
  };
}

/** The steps a run never reached (cancelled, or Blender ended), in order. */
export function stepsNotRun(suite: ProbeSuite, results: StepResult[]): NotRunStep[] {
  const ran = new Set(results.map((r) => `${r.file}:${r.line}`));
  return suite.files.flatMap((file) =>
    file.steps
      .filter((step) => !ran.has(`${file.path}:${step.line}`))
      .map((step) => ({ file: file.path, fileName: file.name, step: step.name, line: step.line })),
  );
}

async function attemptStep(step: ProbeStep, run: StepRun, timeLeftMs: number): Promise<Attempt> {
  const { scope } = run;
  const stepTimeoutMs = step.timeoutMs ?? run.context.timeoutMs;
  const timeoutMs = Math.ceil(Math.min(stepTimeoutMs, timeLeftMs)); // AbortSignal.timeout takes whole ms
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = run.signal ? AbortSignal.any([run.signal, timeout]) : timeout;

  let reply: { document: unknown; raw: string; problem?: string | undefined };
  try {
    reply = await perform(step, run, signal);
  } catch (error) {
    if (error instanceof TemplateError) return { passed: false, final: true, failure: error.message };
    if (error instanceof BlenderCodeError) return { passed: false, failure: error.message, details: error.traceback };
    if (error instanceof RenderRefusedError) return { passed: false, final: true, failure: error.message };
    const timedOut = timeout.aborted && !run.signal?.aborted;
    if (!timedOut && error instanceof TransportError) {
      const ended = await run.context.serverEnded?.(SERVER_END_GRACE_MS);
      if (ended) return { passed: false, final: true, blenderExited: true, failure: `Blender ${ended} during this step` };
    }
    if (timedOut) {
      const what = step.action.kind === 'mcp' ? `${describeRequest(step.action.mcp)}: ` : '';
      return { passed: false, timedOut, failure: `${what}${noReplyFailure(step, timeoutMs, stepTimeoutMs)}` };
    }
    return { passed: false, failure: error instanceof TransportError ? error.message : `failed: ${errorMessage(error)}` };
  }
  const { document, raw } = reply;
  if (reply.problem) return { passed: false, failure: reply.problem, reply: raw };

  try {
    const failIf = step.retry?.failIf === undefined ? undefined : renderedPattern(step.retry.failIf, scope, 'failIf');
    if (failIf !== undefined && !match(failIf, document)) {
      return { passed: false, final: true, failure: `the reply matched failIf, so the retries stopped: ${raw.slice(0, 200)}`, reply: raw };
    }
    if (step.expect !== undefined) {
      const mismatch = match(renderedPattern(step.expect, scope, 'expect'), document, { strict: step.strict });
      if (mismatch) return { passed: false, failure: describeMismatch(mismatch), mismatch, reply: raw };
    }
  } catch (error) {
    if (error instanceof TemplateError) return { passed: false, final: true, failure: error.message, reply: raw };
    throw error;
  }
  const captured = takeCaptures(step.captures, document);
  if ('failure' in captured) return { passed: false, failure: captured.failure, reply: raw };
  for (const [name, value] of Object.entries(captured.values)) scope.set(name, value);
  return { passed: true, reply: raw };
}

/**
 * An expectation with its {{templates}} filled in. Operands that were templates were not
 * checked at load ({"$gt": "{{count}}"}): they are checked now, with the same words.
 */
function renderedPattern(pattern: unknown, scope: Scope, key: 'expect' | 'failIf'): unknown {
  const rendered = render(pattern, scope);
  const [problem] = checkPattern(rendered);
  if (problem) {
    const at = problem.path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`)).join('');
    throw new TemplateError(`${key}${at}: ${problem.message}, once its templates were filled in (got ${preview(valueAt(rendered, problem.path))})`);
  }
  return rendered;
}

function noReplyFailure(step: ProbeStep, timeoutMs: number, stepTimeoutMs: number): string {
  const which = timeoutMs < stepTimeoutMs ? 'the retry deadline' : step.timeoutMs ? 'the step timeout' : 'probe-timeout';
  return `no reply within ${formatDuration(timeoutMs)} (${which})`;
}

/** Sends the step's request, templated now (captures may have changed), and reads the reply. */
async function perform(step: ProbeStep, run: StepRun, signal: AbortSignal): Promise<{ document: unknown; raw: string; problem?: string | undefined }> {
  const { action } = step;
  const { file, scope, context } = run;
  if (action.kind === 'send') {
    const payload = render(action.send, scope);
    const raw = await run.client.request(file.target.framing === 'raw' ? String(payload) : JSON.stringify(payload), signal);
    if (file.target.framing === 'raw') return { document: raw, raw };
    try {
      return { document: JSON.parse(raw), raw };
    } catch {
      throw new TransportError(`the reply is not valid JSON: ${raw.slice(0, 200)}`);
    }
  }
  if (action.kind === 'http') {
    const http = render(action.http, scope) as typeof action.http;
    const host = http.host ?? file.target.host ?? context.host;
    const port = http.port ?? file.target.port ?? context.port!;
    const document = await httpRequest(http, host, port, signal, context.maxReplyBytes);
    return { document, raw: document.body };
  }
  if (action.kind === 'mcp') {
    const request = render(action.mcp, scope) as typeof action.mcp;
    const expect = step.expect === undefined ? undefined : render(step.expect, scope);
    const timeoutMs = step.timeoutMs ?? context.timeoutMs;
    const answer = await run.mcp!.request(request, expect as JsonValue | undefined, signal, timeoutMs);
    if (answer.errorText && context.mcpErrorText === 'warn')
      context.onWarning?.(`${file.path}:${step.line}: ${answer.errorText}.`, { file: file.path, line: step.line });
    return answer;
  }
  if (!context.control) throw new TransportError("the driver's control channel is not open");
  if (action.kind === 'render') return renderStep(step, action, run, context.control, signal);
  const code = render(action.code, scope) as string;
  const value = await context.control.run(code, action.mode, signal);
  return { document: value, raw: JSON.stringify(value) };
}

/** A render step: Blender renders on its main thread, the image is compared here (one rule for every Blender). */
async function renderStep(
  step: ProbeStep,
  action: StepAction & { kind: 'render' },
  run: StepRun,
  control: BlenderControl,
  signal: AbortSignal,
): Promise<{ document: unknown; raw: string; problem?: string | undefined }> {
  const setting = run.context.snapshots;
  if (!setting) throw new TransportError('render steps run in a session (no snapshot setting here)');
  const rendered = await control.render(
    render(action.render, run.scope) as typeof action.render,
    path.join(setting.renderDir, `render-${randomUUID()}.png`),
    signal,
  );
  const outcome = await checkSnapshot(
    rendered.path,
    {
      probeFile: run.file.path,
      line: step.line,
      image: action.snapshot.image,
      threshold: action.snapshot.threshold,
      maxDiffRatio: action.snapshot.maxDiffRatio,
    },
    setting,
  );
  run.context.onSnapshot?.(outcome);
  const document = { ...rendered, snapshot: outcome.record };
  return { document, raw: JSON.stringify(document), problem: outcome.failure };
}

/** A file's TCP connection: reused across steps (or not: per-step), reopened after a close. */
class FileClient {
  private connection: TcpConnection | undefined;
  private readonly host: string;
  private readonly port: number;
  private readonly maxReplyBytes: number;
  private readonly wire: WireFormat;

  constructor(
    private readonly file: ProbeFile,
    context: ProbeContext,
  ) {
    this.maxReplyBytes = context.maxReplyBytes ?? MAX_MESSAGE_BYTES;
    const { framing } = file.target;
    // One limit for every framing: a length prefix announcing more is refused before reading.
    this.wire = typeof framing === 'object' ? { ...framing, maxBytes: this.maxReplyBytes } : framing;
    this.host = file.target.host ?? context.host;
    // main.ts refuses a suite whose send steps have no port before Blender starts.
    this.port = file.target.port ?? context.port ?? 0;
  }

  async request(payload: string, signal: AbortSignal): Promise<string> {
    if (this.file.target.connection === 'per-step') {
      this.close();
      this.connection = undefined;
    }
    const reused = this.connection !== undefined && !this.connection.closed;
    try {
      return await this.send(payload, signal);
    } catch (error) {
      // A server that closes after each reply may not have been seen closing yet: the
      // kept connection was stale, not the server wrong. Once more, on a fresh one.
      if (reused && error instanceof ClosedBeforeReplyError) return this.send(payload, signal);
      throw error;
    } finally {
      if (this.file.target.connection === 'per-step') this.close();
    }
  }

  private async send(payload: string, signal: AbortSignal): Promise<string> {
    if (!this.connection || this.connection.closed) {
      this.connection = await TcpConnection.open(this.host, this.port, signal, this.maxReplyBytes);
    }
    return this.connection.request(payload, this.wire, signal);
  }

  close(): void {
    this.connection?.close();
  }
}
