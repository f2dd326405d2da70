import type { HttpRequestSpec } from '../suite.js';
import { formatBytes } from '../../bytes.js';
import { MAX_MESSAGE_BYTES } from '../framing.js';
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
export async function httpRequest(
  request: HttpRequestSpec,
  host: string,
  port: number,
  signal: AbortSignal,
  maxReplyBytes = MAX_MESSAGE_BYTES,
): Promise<HttpReply> {
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
  const text = await readBody(response, maxReplyBytes);
  const reply: HttpReply = { status: response.status, headers: Object.fromEntries(response.headers), body: text };
  try {
    reply.json = JSON.parse(text);
  } catch {
    // not JSON: `body` has it
  }
  return reply;
}

/** The body as text, read up to max-reply-size: past it the step fails and the rest is not read. */
async function readBody(response: Response, maxReplyBytes: number): Promise<string> {
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = (response.body as ReadableStream<Uint8Array> | null)?.getReader();
  if (!reader) return '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxReplyBytes) {
      await reader.cancel();
      throw new TransportError(
        `the reply grew past max-reply-size (${formatBytes(maxReplyBytes)}) without ending; raise max-reply-size if replies this big are right`,
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
