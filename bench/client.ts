import net from 'node:net';
import { takeFrame } from '../src/probes/framing.js';

/**
 * A lean persistent-connection client: one request in flight, bare JSON framing. Kept
 * minimal so the client's own cost inflates every configuration equally little.
 */
export class BenchClient {
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: ((reply: string) => void) | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      const frame = takeFrame(this.buffer, 'json');
      if (frame.kind === 'message' && this.waiting) {
        this.buffer = this.buffer.subarray(frame.consumed);
        const resolve = this.waiting;
        this.waiting = undefined;
        resolve(frame.message);
      }
    });
  }

  static connect(port: number): Promise<BenchClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => resolve(new BenchClient(socket)));
      socket.once('error', reject);
    });
  }

  request(payload: string): Promise<string> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket.write(payload);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

const ECHO = JSON.stringify({ type: 'echo', params: { text: 'ping' } });

/**
 * Round-trip times (ms) of `count` sequential requests on one connection, after a warm-up.
 * `maxGapMs` > 0 waits a random time before each request, so requests arrive at random
 * moments rather than in step with the server's own clock (the pump's tick).
 */
export async function roundTrips(port: number, count: number, maxGapMs = 0, warmup = 20): Promise<number[]> {
  const client = await BenchClient.connect(port);
  for (let i = 0; i < warmup; i++) await client.request(ECHO);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    if (maxGapMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * maxGapMs));
    const start = performance.now();
    await client.request(ECHO);
    samples.push(performance.now() - start);
  }
  client.close();
  return samples;
}

/** Requests per second over `connections` concurrent connections for `seconds`. */
export async function throughput(port: number, connections: number, seconds: number): Promise<number> {
  const clients = await Promise.all(Array.from({ length: connections }, () => BenchClient.connect(port)));
  const deadline = performance.now() + seconds * 1000;
  const counts = await Promise.all(
    clients.map(async (client) => {
      let n = 0;
      while (performance.now() < deadline) {
        await client.request(ECHO);
        n++;
      }
      client.close();
      return n;
    }),
  );
  return counts.reduce((a, b) => a + b, 0) / seconds;
}
