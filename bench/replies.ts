import net from 'node:net';
import type { Framing } from '../src/probes/vocabulary.js';
import { TcpConnection } from '../src/probes/transports/tcp.js';

/**
 * Time to read one bare-JSON reply of `megabytes`, sent in 64 KiB pieces by a loopback
 * server (the way a real socket delivers it), median of `samples`.
 */
export async function replyReadMs(megabytes: number, samples: number, framing: Exclude<Framing, 'length-prefixed'> = 'json'): Promise<number> {
  const reply = Buffer.from(JSON.stringify({ result: { blob: 'x'.repeat(megabytes * 1024 * 1024) } }));
  const server = net.createServer((socket) => {
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a write that fails is the socket's 'error', handled below
    socket.on('data', async () => {
      for (let i = 0; i < reply.length; i += 64 * 1024) {
        if (!socket.write(reply.subarray(i, i + 64 * 1024))) await new Promise((resolve) => socket.once('drain', resolve));
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const times: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const connection = await TcpConnection.open('127.0.0.1', port, AbortSignal.timeout(5000), 1024 * 1024 * 1024);
      const started = performance.now();
      await connection.request('{}', framing, AbortSignal.timeout(300_000));
      times.push(performance.now() - started);
      connection.close();
    }
  } finally {
    server.close();
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}
