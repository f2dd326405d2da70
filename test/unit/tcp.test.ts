import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { runProbes } from '../../src/probes/run.js';
import type { ProbeFile } from '../../src/probes/suite.js';
import { TcpConnection } from '../../src/probes/transports/tcp.js';

type Handler = (socket: net.Socket, request: string) => unknown;
const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();

/** A real TCP server on loopback that calls `handler` once per complete request line or JSON. */
async function serve(handler: Handler): Promise<number> {
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buffer = '';
    socket.on('data', (data) => {
      buffer += data.toString();
      try {
        JSON.parse(buffer.trim());
      } catch {
        return;
      }
      const request = buffer.trim();
      buffer = '';
      void handler(socket, request);
    });
    socket.on('error', () => {});
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  for (const server of servers.splice(0)) {
    await new Promise((resolve) => server.close(resolve));
  }
});

const seconds = (n: number) => AbortSignal.timeout(n * 1000);

describe('TcpConnection, json framing, against real servers', () => {
  it('reassembles a reply split across many packets, multi-byte characters included', async () => {
    const reply = JSON.stringify({ status: 'success', result: { text: 'é✓ ' + 'x'.repeat(5000), list: [1, 2, 3] } });
    const port = await serve(async (socket) => {
      const bytes = Buffer.from(reply);
      for (let i = 0; i < bytes.length; i += 7) {
        socket.write(bytes.subarray(i, i + 7));
        if (i % 700 === 0) await sleep(1);
      }
    });
    const connection = await TcpConnection.open('127.0.0.1', port, seconds(5));
    expect(await connection.request('{"type":"x"}', 'json', seconds(5))).toBe(reply);
    connection.close();
  });

  it('waits for a slow reply', async () => {
    const port = await serve(async (socket) => {
      socket.write('{"status":');
      await sleep(300);
      socket.write('"late"}');
    });
    const connection = await TcpConnection.open('127.0.0.1', port, seconds(5));
    expect(await connection.request('{}', 'json', seconds(5))).toBe('{"status":"late"}');
    connection.close();
  });

  it('fails clearly when the server closes mid-reply', async () => {
    const port = await serve((socket) => socket.end('{"status": "succ'));
    const connection = await TcpConnection.open('127.0.0.1', port, seconds(5));
    await expect(connection.request('{}', 'json', seconds(5))).rejects.toThrow(
      /^the server closed the connection after an incomplete reply \(16 characters: "\{\\"status\\": \\"succ"\)$/,
    );
  });

  it('fails at once on a reply that is not JSON', async () => {
    const port = await serve((socket) => socket.write('Hello, I am not JSON\n'));
    const connection = await TcpConnection.open('127.0.0.1', port, seconds(5));
    await expect(connection.request('{}', 'json', seconds(5))).rejects.toThrow(/^the reply does not start like JSON: "Hello, I am not JSON\\n"$/);
  });

  it('accepts a bare number that the close of the connection completes', async () => {
    const port = await serve((socket) => socket.end('42'));
    const connection = await TcpConnection.open('127.0.0.1', port, seconds(5));
    expect(await connection.request('{}', 'json', seconds(5))).toBe('42');
  });

  it('says connection refused when nothing listens', async () => {
    const port = await serve(() => {});
    await new Promise((resolve) => servers.pop()!.close(resolve));
    await expect(TcpConnection.open('127.0.0.1', port, seconds(5))).rejects.toThrow(`could not connect to 127.0.0.1:${port} (connection refused)`);
  });

  it('gives up when the deadline passes, and drops the connection so a late reply cannot confuse the next request', async () => {
    const port = await serve(() => {});
    const connection = await TcpConnection.open('127.0.0.1', port, seconds(5));
    await expect(connection.request('{}', 'json', AbortSignal.timeout(100))).rejects.toThrow('no complete reply in time');
    expect(connection.closed).toBe(true);
  });
});

describe('runProbes over real TCP', () => {
  const file = (port: number, framing: 'json' | 'ndjson', count: number): ProbeFile => ({
    path: 'p.json',
    name: 'p',
    target: { host: '127.0.0.1', port, framing },
    steps: Array.from({ length: count }, (_, i) => ({ name: `step ${i}`, line: i + 1, send: { i }, expect: { echo: { i } }, timeoutMs: undefined })),
  });
  const defaults = { host: '127.0.0.1', port: undefined, timeoutMs: 2000 };

  it('reuses one connection across a file’s steps', async () => {
    let connections = 0;
    const port = await serve((socket, request) => socket.write(JSON.stringify({ echo: JSON.parse(request) })));
    servers[0]!.on('connection', () => connections++);
    const results = await runProbes({ files: [file(port, 'json', 5)] }, defaults, () => {});
    expect(results.map((r) => r.passed)).toEqual([true, true, true, true, true]);
    expect(connections).toBe(1);
  });

  it('reopens the connection when the server closes it after each reply', async () => {
    let connections = 0;
    const port = await serve((socket, request) => socket.end(JSON.stringify({ echo: JSON.parse(request) })));
    servers[0]!.on('connection', () => connections++);
    const results = await runProbes({ files: [file(port, 'json', 4)] }, defaults, () => {});
    expect(results.map((r) => [r.passed, r.failure])).toEqual(Array(4).fill([true, undefined]));
    expect(connections).toBe(4);
  });

  it('speaks ndjson: one line out, one line back', async () => {
    const port = await serve((socket, request) => socket.write(`${JSON.stringify({ echo: JSON.parse(request) })}\n`));
    const results = await runProbes({ files: [file(port, 'ndjson', 3)] }, defaults, () => {});
    expect(results.map((r) => r.passed)).toEqual([true, true, true]);
  });

  it('a step that times out fails; the next step runs on a fresh connection', async () => {
    const port = await serve((socket, request) => {
      if (JSON.parse(request).i === 0) return; // silence for the first request
      socket.write(JSON.stringify({ echo: JSON.parse(request) }));
    });
    const results = await runProbes({ files: [file(port, 'json', 2)] }, { ...defaults, timeoutMs: 200 }, () => {});
    expect(results.map((r) => [r.passed, r.failure])).toEqual([
      [false, 'no reply within 200ms (probe-timeout)'],
      [true, undefined],
    ]);
  });
});
