import { setTimeout as sleep } from 'node:timers/promises';

export const USER_AGENT = 'blender-bg-action (+https://github.com/org/blender-bg-action; CI test runner for Blender addons)';

/** An HTTP answer that retrying will not change (403, 404, other 4xx). */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';

  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`${url} answered ${status}${status === 403 ? ' Forbidden' : status === 404 ? ' Not Found' : ''}`);
  }
}

export interface RetryOptions {
  attempts: number;
  /** first backoff; doubled after each retry */
  backoffMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 4, backoffMs: 1000 };

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/**
 * GET with a named User-Agent, retrying 5xx/408/429 and connection errors with backoff.
 * 403 and 404 fail at once with HttpStatusError. Resolves with a response whose body
 * is still to be read.
 */
export async function get(url: string, retry: RetryOptions = DEFAULT_RETRY, signal?: AbortSignal): Promise<Response> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    try {
      const response = await fetch(url, { headers: { 'user-agent': USER_AGENT }, redirect: 'follow', signal });
      if (response.ok) return response;
      await response.body?.cancel();
      if (!RETRY_STATUS.has(response.status)) throw new HttpStatusError(url, response.status);
      lastError = new HttpStatusError(url, response.status);
    } catch (error) {
      if (error instanceof HttpStatusError && !RETRY_STATUS.has(error.status)) throw error;
      if (signal?.aborted) throw error;
      lastError = error;
    }
    if (attempt < retry.attempts) await sleep(retry.backoffMs * 2 ** (attempt - 1), undefined, { signal });
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

export async function getText(url: string, retry?: RetryOptions): Promise<string> {
  return (await get(url, retry)).text();
}

/** The reason in a sentence: "answered 403 Forbidden", "connection refused". */
export function describeFailure(error: unknown): string {
  if (error instanceof HttpStatusError) return error.message;
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND') return 'host not found';
  return cause?.message ?? (error as Error)?.message ?? String(error);
}

/** Every mirror failed: the message says what each answered; `errors` keeps the errors. */
export class AllMirrorsFailedError extends Error {
  override readonly name = 'AllMirrorsFailedError';

  constructor(
    readonly bases: string[],
    readonly errors: unknown[],
  ) {
    super(`every mirror failed (${bases.map((base, i) => `${base}: ${describeFailure(errors[i])}`).join('; ')})`);
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
