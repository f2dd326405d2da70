import type { HttpRequestSpec } from '../suite.js';
import { TransportError } from './tcp.js';

/** What an `http` step's `expect` is matched against. */
export interface HttpReply {
  status: number;
  /** header names in lower case */
  headers: Record<string, string>;
  /** the body parsed as JSON, when it is JSON */
  json?: unknown;
  body: string;
}

/** One HTTP request with Node's fetch; a refused connection is a TransportError like TCP's. */
export async function httpRequest(request: HttpRequestSpec, host: string, port: number, signal: AbortSignal): Promise<HttpReply> {
  const headers: Record<string, string> = { ...request.headers };
  let body = request.body;
  if (request.json !== undefined) {
    body = JSON.stringify(request.json);
    headers['content-type'] ??= 'application/json';
  }
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}${request.path}`;
  let response: Response;
  try {
    response = await fetch(url, { method: request.method, headers, body, signal, redirect: 'manual' });
  } catch (error) {
    if (signal.aborted) throw new TransportError('no complete reply in time');
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code === 'ECONNREFUSED' ? 'connection refused' : (cause?.message ?? (error as Error).message);
    throw new TransportError(`could not reach ${request.method} ${url} (${why})`);
  }
  const text = await response.text();
  const reply: HttpReply = { status: response.status, headers: Object.fromEntries(response.headers), body: text };
  try {
    reply.json = JSON.parse(text);
  } catch {
    // not JSON: `body` has it
  }
  return reply;
}
