import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpStatusError, NetworkError, get, retryAfterMs } from '../../../src/blender/catalog/http.js';
import { freePort } from '../../helpers/ports.js';

const servers: http.Server[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

/** A real HTTP server answering with `statuses` in turn (then 200), counting requests. */
async function serve(statuses: { status: number; headers?: Record<string, string> }[]): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = http.createServer((_, res) => {
    const next = statuses[hits++] ?? { status: 200 };
    res.writeHead(next.status, next.headers).end('ok');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/listing/`, hits: () => hits };
}

describe('get(): the one retry layer', () => {
  it('a refused connection fails at once, naming the URL (the next mirror may answer)', async () => {
    const url = `http://127.0.0.1:${await freePort()}/release/`;
    const error = await get(url, { attempts: 4, backoffMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toBe(`${url}: connection refused`);
  });

  it('5xx is retried, then the last answer is named', async () => {
    const server = await serve([{ status: 503 }, { status: 502 }, { status: 500 }]);
    await expect(get(server.url, { attempts: 3, backoffMs: 1 })).rejects.toThrow(new HttpStatusError(server.url, 500));
    expect(server.hits()).toBe(3);
    const recovers = await serve([{ status: 503 }]);
    expect((await get(recovers.url, { attempts: 3, backoffMs: 1 })).status).toBe(200);
  });

  it('403 and 404 are not retried', async () => {
    const server = await serve([{ status: 403 }]);
    await expect(get(server.url, { attempts: 4, backoffMs: 1 })).rejects.toThrow(`${server.url} answered 403 Forbidden`);
    expect(server.hits()).toBe(1);
  });

  it('a Retry-After longer than a minute skips the mirror instead of waiting', async () => {
    const server = await serve([{ status: 429, headers: { 'retry-after': '3600' } }]);
    await expect(get(server.url, { attempts: 4, backoffMs: 1 })).rejects.toThrow(`${server.url} answered 429`);
    expect(server.hits()).toBe(1);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('Sat, 21 Nov 2026 12:00:05 GMT', Date.parse('Sat, 21 Nov 2026 12:00:00 GMT'))).toBe(5000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
