import { formatDuration } from '../duration.js';
import { errorMessage } from '../errors.js';
import { takeCaptures } from './capture.js';
import { FileClient } from './file-client.js';
import { valueAt } from './json-path.js';
import { preview } from './json-values.js';
import { describeMismatch, match } from './match.js';
import { McpFileSession } from './mcp-file.js';
import { checkPattern } from './operand-checks.js';
import type { ProbeContext, StepReply, StepRun } from './probe-context.js';
import type { NotRunStep, StepResult } from './results.js';
import { realClock, retry } from './retry.js';
import { StepError } from './step-error.js';
import { stepKind } from './steps/registry.js';
import type { ProbeStep, ProbeSuite } from './suite.js';
import { Scope, TemplateError, render } from './template.js';
import { describeRequest } from './transports/mcp.js';
import { TransportError } from './transports/tcp.js';

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

  let reply: StepReply;
  try {
    reply = await stepKind(step).perform(step, step.action, run, signal);
  } catch (error) {
    // The step's own failure says whether another attempt could pass (and what to show with it).
    if (error instanceof StepError) return { passed: false, final: !error.retry, failure: error.message, ...(error.details ? { details: error.details } : {}) };
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
