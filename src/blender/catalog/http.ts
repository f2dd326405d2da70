import { setTimeout as sleep } from 'node:timers/promises';

const USER_AGENT = 'blender-bg-action (+https://github.com/org/blender-bg-action; CI test runner for Blender add-ons)';

/** An HTTP answer that retrying will not change (403, 404, other 4xx), or that retries did not. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';

  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`${url} answered ${status}${status === 403 ? ' Forbidden' : status === 404 ? ' Not Found' : ''}`);
  }
}

/** No HTTP answer at all (refused, no such host, reset, timed out): the URL and the reason. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';

  constructor(
    readonly url: string,
    readonly reason: string,
    /** a dropped connection or a timeout may work next time; no host or a refusal will not */
    readonly transient: boolean,
  ) {
    super(`${url}: ${reason}`);
  }
}

/** Whether trying the same URL again may help: the rule get() retries by, for callers with their own loop. */
export function isTransient(error: unknown): boolean {
  if (error instanceof HttpStatusError) return RETRY_STATUS.has(error.status);
  if (error instanceof NetworkError) return error.transient;
  return false;
}

export interface RetryOptions {
  attempts: number;
  /** the ceiling of the first backoff; doubled after each retry, the wait drawn below it */
  backoffMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 4, backoffMs: 1000 };

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);
/** No host, or nothing listening: the next mirror, not the same one again. */
const FINAL_CODES = new Set(['ENOTFOUND', 'ECONNREFUSED', 'EAI_AGAIN', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT']);
/** The longest Retry-After honoured; a server asking for more gets its mirror skipped. */
const MAX_RETRY_AFTER_MS = 60_000;

/**
 * GET with a named User-Agent: the one retry layer. 5xx, 408, 429 and dropped connections
 * are retried with exponential backoff and full jitter (a matrix of jobs must not retry in
 * lockstep), or after the Retry-After the server sent. 403/404 and a refused connection or
 * unknown host fail at once (the next mirror may do better). Every failure names its URL.
 * Resolves with a response whose body is still to be read.
 */
export async function get(url: string, retry: RetryOptions = DEFAULT_RETRY, signal?: AbortSignal): Promise<Response> {
  let lastError: Error = new NetworkError(url, 'not tried', false);
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    let waitMs = jitter(retry.backoffMs * 2 ** (attempt - 1));
    try {
      const response = await fetch(url, { headers: { 'user-agent': USER_AGENT }, redirect: 'follow', signal });
      if (response.ok) return response;
      await response.body?.cancel();
      lastError = new HttpStatusError(url, response.status);
      if (!RETRY_STATUS.has(response.status)) throw lastError;
      const asked = retryAfterMs(response.headers.get('retry-after'));
      if (asked !== undefined) {
        if (asked > MAX_RETRY_AFTER_MS) throw lastError;
        waitMs = asked;
      }
    } catch (error) {
      if (error === lastError) throw error;
      if (signal?.aborted) throw error;
      const transient = !FINAL_CODES.has(codeOf(error) ?? '');
      lastError = new NetworkError(url, describeFailure(error), transient);
      if (!transient) throw lastError;
    }
    if (attempt < retry.attempts) await sleep(waitMs, undefined, { signal });
  }
  throw lastError;
}

/** Full jitter: anywhere from 0 to the ceiling. */
function jitter(ceilingMs: number): number {
  return Math.random() * ceilingMs;
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function codeOf(error: unknown): string | undefined {
  return (error as { cause?: { code?: string } })?.cause?.code ?? (error as { code?: string })?.code;
}

export async function getText(url: string, retry?: RetryOptions): Promise<string> {
  return (await get(url, retry)).text();
}

/** The reason in a sentence: "https://…/ answered 403 Forbidden", "https://…/: connection refused". */
export function describeFailure(error: unknown): string {
  if (error instanceof HttpStatusError || error instanceof NetworkError) return error.message;
  const code = codeOf(error);
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the connection was dropped';
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return 'the connection timed out';
  const cause = (error as { cause?: { message?: string } })?.cause;
  return cause?.message ?? (error as Error)?.message ?? String(error);
}

/** Every mirror failed: the message says what each answered; `errors` keeps the errors. */
class AllMirrorsFailedError extends Error {
  override readonly name = 'AllMirrorsFailedError';

  constructor(
    readonly bases: string[],
    readonly errors: unknown[],
  ) {
    const named = (error: unknown, i: number) =>
      error instanceof HttpStatusError || error instanceof NetworkError ? describeFailure(error) : `${bases[i]}: ${describeFailure(error)}`;
    super(`every mirror failed (${errors.map(named).join('; ')})`);
  }
}

/** The errors behind a failure: each mirror's, or the one. */
export function failuresOf(error: unknown): unknown[] {
  return error instanceof AllMirrorsFailedError ? error.errors : [error];
}

/**
 * Runs `attempt` against each base URL in turn until one succeeds. With one base its
 * error is thrown as it is; with several, an AllMirrorsFailedError holding each one's.
 */
export async function withMirrors<T>(bases: string[], attempt: (base: string) => Promise<T>): Promise<T> {
  const errors: unknown[] = [];
  for (const base of bases) {
    try {
      return await attempt(base);
    } catch (error) {
      if (bases.length === 1) throw error;
      errors.push(error);
    }
  }
  throw new AllMirrorsFailedError(bases, errors);
}
