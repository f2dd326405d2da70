import http from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { runProbes } from '../../../../src/probes/run.js';
import type { HttpRequestSpec, ProbeFile, ProbeStep } from '../../../../src/probes/suite.js';
import { DEFAULT_LENGTH_PREFIX } from '../../../../src/probes/framing.js';
import { TcpConnection } from '../../../../src/probes/transports/tcp.js';

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
      const body = buffer.replace(/^Content-Length: \d+\r\n\r\n/, '').trim(); // LSP-framed requests too
      try {
        JSON.parse(body);
      } catch {
        return;
      }
      const request = body;
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
      /^the server closed the connection after an incomplete reply \(16 bytes: "\{\\"status\\": \\"succ"\)$/,
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

/** A real TCP server on loopback that hands `handler` the raw bytes of each request. */
async function serveBytes(handler: (socket: net.Socket, data: Buffer) => unknown): Promise<number> {
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (data) => void handler(socket, data));
    socket.on('error', () => {});
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

describe('TcpConnection, length-prefixed framing, against real servers', () => {
  const wire = DEFAULT_LENGTH_PREFIX;

  it('reads a 20 MB reply that arrives in small packets, and the next reply on the same connection', async () => {
    const big = JSON.stringify({ text: 'é'.repeat(10_000_000) });
    let request = 0;
    const port = await serveBytes(async (socket, data) => {
      request++;
      expect(data.readUInt32BE(0)).toBe(data.length - 4); // our request is framed the same way
      const body = Buffer.from(request === 1 ? big : '{"second":true}');
      const framed = Buffer.concat([Buffer.from([0, 0, 0, 0]), body]);
      framed.writeUInt32BE(body.length);
      for (let i = 0; i < framed.length; i += 65_536) socket.write(framed.subarray(i, i + 65_536));
    });
    const connection = await TcpConnection.open('127.0.0.1', port, seconds(5));
    expect(await connection.request('{"type":"big"}', wire, seconds(30))).toBe(big);
    expect(await connection.request('{"type":"small"}', wire, seconds(5))).toBe('{"second":true}');
    connection.close();
  });

  it('a length over the limit fails at once, without waiting for (or keeping) the bytes', async () => {
    const port = await serveBytes((socket) => socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7b])));
    const connection = await TcpConnection.open('127.0.0.1', port, seconds(5));
    await expect(connection.request('{}', wire, seconds(5))).rejects.toThrow(
      /^the reply's 4-byte length prefix announces 4 GiB, more than the 64 MiB a reply may be$/,
    );
    expect(connection.closed).toBe(true);
  });

  it('a request the prefix cannot announce fails before anything is sent', async () => {
    let received = 0;
    const port = await serveBytes((_socket, data) => (received += data.length));
    const connection = await TcpConnection.open('127.0.0.1', port, seconds(5));
    await expect(connection.request('x'.repeat(70_000), { ...wire, bytes: 2 }, seconds(5))).rejects.toThrow('more than a 2-byte length prefix can announce');
    await sleep(20);
    expect(received).toBe(0);
    connection.close();
  });
});

describe('TcpConnection, other framings', () => {
  it('content-length: reads exactly the announced bytes, across packets', async () => {
    const body = JSON.stringify({ text: 'é✓'.repeat(300) });
    const port = await serve(async (socket) => {
      const framed = Buffer.from(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      for (let i = 0; i < framed.length; i += 100) {
        socket.write(framed.subarray(i, i + 100));
        await sleep(1);
      }
    });
    const connection = await TcpConnection.open('127.0.0.1', port, seconds(5));
    expect(await connection.request('{}', 'content-length', seconds(5))).toBe(body);
    connection.close();
  });

  it('raw: the reply is what arrived when the server goes quiet', async () => {
    const port = await serve(async (socket) => {
      socket.write('PONG ');
      await sleep(5); // well inside the 50 ms of quiet that ends a raw reply
      socket.write('hello\n');
    });
    const connection = await TcpConnection.open('127.0.0.1', port, seconds(5));
    expect(await connection.request('{"ping":1}', 'raw', seconds(5))).toBe('PONG hello\n');
    connection.close();
  });
});

const context = { host: '127.0.0.1', port: undefined, timeoutMs: 2000, control: undefined };

function file(port: number, framing: ProbeFile['target']['framing'], count: number, connection: 'persistent' | 'per-step' = 'persistent'): ProbeFile {
  return {
    path: 'p.json',
    name: 'p',
    target: { host: '127.0.0.1', port, framing, connection, mcp: undefined, line: 1 },
    vars: {},
    steps: Array.from({ length: count }, (_, i) => step(`step ${i}`, { i }, { echo: { i } })),
  };
}

function step(name: string, send: unknown, expectation: unknown, extra: Partial<ProbeStep> = {}): ProbeStep {
  return {
    name,
    line: 1,
    action: { kind: 'send', send: send as never },
    expect: expectation as never,
    strict: false,
    captures: [],
    retry: undefined,
    timeoutMs: undefined,
    ...extra,
  };
}

const echo: Handler = (socket, request) => socket.write(JSON.stringify({ echo: JSON.parse(request) }));

describe('runProbes over real TCP', () => {
  it('reuses one connection across a file’s steps', async () => {
    let connections = 0;
    const port = await serve(echo);
    servers[0]!.on('connection', () => connections++);
    const results = await runProbes({ files: [file(port, 'json', 5)] }, context, () => {});
    expect(results.map((r) => r.passed)).toEqual([true, true, true, true, true]);
    expect(connections).toBe(1);
  });

  it('per-step: a new connection for every step', async () => {
    let connections = 0;
    const port = await serve(echo);
    servers[0]!.on('connection', () => connections++);
    const results = await runProbes({ files: [file(port, 'json', 3, 'per-step')] }, context, () => {});
    expect(results.map((r) => r.passed)).toEqual([true, true, true]);
    expect(connections).toBe(3);
  });

  it('reopens the connection when the server closes it after each reply', async () => {
    let connections = 0;
    const port = await serve((socket, request) => socket.end(JSON.stringify({ echo: JSON.parse(request) })));
    servers[0]!.on('connection', () => connections++);
    const results = await runProbes({ files: [file(port, 'json', 4)] }, context, () => {});
    expect(results.map((r) => [r.passed, r.failure])).toEqual(Array(4).fill([true, undefined]));
    expect(connections).toBe(4);
  });

  it('speaks ndjson: one line out, one line back', async () => {
    const port = await serve((socket, request) => socket.write(`${JSON.stringify({ echo: JSON.parse(request) })}\n`));
    const results = await runProbes({ files: [file(port, 'ndjson', 3)] }, context, () => {});
    expect(results.map((r) => r.passed)).toEqual([true, true, true]);
  });

  it('a step that times out fails; the next step runs on a fresh connection', async () => {
    const port = await serve((socket, request) => {
      if (JSON.parse(request).i === 0) return; // silence for the first request
      socket.write(JSON.stringify({ echo: JSON.parse(request) }));
    });
    const results = await runProbes({ files: [file(port, 'json', 2)] }, { ...context, timeoutMs: 200 }, () => {});
    expect(results.map((r) => [r.passed, r.failure])).toEqual([
      [false, 'no reply within 200ms (probe-timeout)'],
      [true, undefined],
    ]);
  });

  it('captures a value, keeps its type in a later request, and polls until a job completes', async () => {
    let polls = 0;
    const port = await serve((socket, request) => {
      const body = JSON.parse(request);
      if (body.type === 'start') socket.write(JSON.stringify({ result: { id: 41 } }));
      else socket.write(JSON.stringify({ result: { id: body.id, status: ++polls < 3 ? 'running' : 'completed' } }));
    });
    const probe: ProbeFile = {
      ...file(port, 'json', 0),
      steps: [
        step(
          'start',
          { type: 'start' },
          { result: { id: { $type: 'integer' } } },
          { captures: [{ name: 'job', path: '$.result.id', segments: ['result', 'id'], regex: undefined }] },
        ),
        step(
          'poll',
          { type: 'status', id: '{{job}}' },
          { result: { id: '{{job}}', status: 'completed' } },
          {
            retry: { timeoutMs: 5000, intervalMs: 20, attempts: undefined, failIf: { result: { status: 'failed' } } },
          },
        ),
      ],
    };
    const results = await runProbes({ files: [probe] }, context, () => {});
    expect(results.map((r) => [r.step, r.passed, r.attempts])).toEqual([
      ['start', true, 1],
      ['poll', true, 3],
    ]);
  });

  it('failIf stops the polling at once, and the report keeps the attempt count and last failure', async () => {
    let polls = 0;
    const port = await serve((socket) => socket.write(JSON.stringify({ status: ++polls < 2 ? 'running' : 'failed' })));
    const probe = {
      ...file(port, 'json', 0),
      steps: [
        step('poll', {}, { status: 'completed' }, { retry: { timeoutMs: 5000, intervalMs: 10, attempts: undefined, failIf: { status: { $in: ['failed'] } } } }),
      ],
    };
    const [result] = await runProbes({ files: [probe] }, context, () => {});
    expect(result).toMatchObject({ passed: false, attempts: 2, failure: 'the reply matched failIf, so the retries stopped: {"status":"failed"}' });
  });

  it('retries through connection refused until the server is up', async () => {
    const port = await serve(echo);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const probe = {
      ...file(port, 'json', 0),
      steps: [
        step('waits for the server', { i: 1 }, { echo: { i: 1 } }, { retry: { timeoutMs: 5000, intervalMs: 50, attempts: undefined, failIf: undefined } }),
      ],
    };
    setTimeout(() => {
      const late = net.createServer((socket) => {
        sockets.add(socket);
        socket.on('data', (d) => socket.write(JSON.stringify({ echo: JSON.parse(d.toString()) })));
      });
      servers.push(late);
      late.listen(port, '127.0.0.1');
    }, 200);
    const [result] = await runProbes({ files: [probe] }, context, () => {});
    expect(result?.passed).toBe(true);
    expect(result?.attempts).toBeGreaterThan(1);
  });

  it('a reply that is not JSON fails the step with the reply in the message', async () => {
    const port = await serve((socket) => socket.write('{not json}'));
    const [result] = await runProbes({ files: [file(port, 'json', 1)] }, context, () => {});
    expect(result?.failure).toBe('the reply is not valid JSON: {not json}');
  });
});

describe('HTTP steps against a real local server', () => {
  it('matches status, headers and JSON; sends JSON bodies', async () => {
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        res.writeHead(req.url === '/status' ? 200 : 404, { 'Content-Type': 'application/json', 'X-Probe': 'yes' });
        res.end(
          JSON.stringify({ ok: req.url === '/status', method: req.method, got: body ? JSON.parse(body) : null, type: req.headers['content-type'] ?? null }),
        );
      });
    });
    servers.push(server as unknown as net.Server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const httpStep = (name: string, spec: Partial<HttpRequestSpec>, expectation: unknown): ProbeStep => ({
      ...step(name, null, expectation),
      action: {
        kind: 'http',
        http: { method: 'GET', path: '/status', host: undefined, port: undefined, headers: {}, json: undefined, body: undefined, ...spec },
      },
    });
    const probe: ProbeFile = {
      ...file(port, 'json', 0),
      steps: [
        httpStep('health', {}, { status: 200, headers: { 'x-probe': 'yes' }, json: { ok: true, method: 'GET' } }),
        httpStep('post', { method: 'POST', path: '/status', json: { a: [1] } }, { json: { got: { a: [1] }, type: 'application/json' } }),
        httpStep('not found', { path: '/nope' }, { status: 200 }),
      ],
    };
    const results = await runProbes({ files: [probe] }, context, () => {});
    expect(results.map((r) => [r.step, r.passed, r.failure])).toEqual([
      ['health', true, undefined],
      ['post', true, undefined],
      ['not found', false, '$.status: expected 200, got 404'],
    ]);
  });

  it('a body past max-reply-size fails the step, naming the limit', async () => {
    const server = http.createServer((_, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('x'.repeat(3 * 1024 * 1024));
    });
    servers.push(server as unknown as net.Server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const probe: ProbeFile = {
      ...file(port, 'json', 0),
      steps: [
        {
          ...step('big', null, { status: 200 }),
          action: { kind: 'http', http: { method: 'GET', path: '/', host: undefined, port: undefined, headers: {}, json: undefined, body: undefined } },
        },
      ],
    };
    const [result] = await runProbes({ files: [probe] }, { ...context, maxReplyBytes: 1024 * 1024 }, () => {});
    expect(result?.failure).toBe('the reply grew past max-reply-size (1 MiB) without ending; raise max-reply-size if replies this big are right');
  });
});

describe('big replies: read in linear time, and bounded by max-reply-size', () => {
  /** A reply of about `megabytes`, written in 64 KiB pieces as a real server's socket would send it. */
  function bigReply(megabytes: number): string {
    return JSON.stringify({ result: { blob: 'é✓'.repeat((megabytes * 1024 * 1024) / 5), list: [1, [2, { x: '"}]' }]] } });
  }
  const sendInPieces = async (socket: net.Socket, payload: Buffer) => {
    for (let i = 0; i < payload.length; i += 64 * 1024) {
      if (!socket.write(payload.subarray(i, i + 64 * 1024))) await new Promise((resolve) => socket.once('drain', resolve));
    }
  };

  // 40 MB took 62 s when every piece rescanned the whole buffer: past any sane probe-timeout.
  it.each(['json', 'ndjson', 'raw'] as const)(
    'a 40 MB %s reply arrives whole within 20 s',
    async (framing) => {
      const reply = bigReply(40);
      const port = await serve((socket) => sendInPieces(socket, Buffer.from(framing === 'ndjson' ? `${reply}\n` : reply)));
      const connection = await TcpConnection.open('127.0.0.1', port, seconds(5));
      const received = await connection.request('{"type":"big"}', framing, seconds(20));
      expect(received.length).toBe(reply.length);
      expect(received === reply).toBe(true);
      connection.close();
    },
    30_000,
  );

  it.each(['json', 'ndjson', 'raw'] as const)('a %s reply past max-reply-size fails at once, naming the limit, and drops the connection', async (framing) => {
    const port = await serve((socket) => sendInPieces(socket, Buffer.from(bigReply(4))));
    const connection = await TcpConnection.open('127.0.0.1', port, seconds(5), 1024 * 1024);
    await expect(connection.request('{"type":"big"}', framing, seconds(20))).rejects.toThrow(
      'the reply grew past max-reply-size (1 MiB) without ending; raise max-reply-size if replies this big are right',
    );
    expect(connection.closed).toBe(true);
  });

  it('runProbes hands max-reply-size to a length prefix too', async () => {
    const server = net.createServer((socket) => socket.once('data', () => socket.write(Buffer.from([0, 0x20, 0, 0])))); // announces 2 MiB
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    const probe = { ...file(port, 'json', 1), target: { ...file(port, 'json', 1).target, framing: DEFAULT_LENGTH_PREFIX } };
    const [result] = await runProbes({ files: [probe] }, { ...context, maxReplyBytes: 1024 * 1024 }, () => {});
    expect(result?.failure).toBe("the reply's 4-byte length prefix announces 2 MiB, more than the 1 MiB a reply may be");
  });
});
