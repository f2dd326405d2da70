import { readFile } from 'node:fs/promises';
import net from 'node:net';
import { expect, it } from 'vitest';
import { describeOnEachBlender } from '../helpers/blender.js';
import { runFixture } from '../helpers/fixture-run.js';
import { RecordingReporter } from '../helpers/recording-reporter.js';

interface Exchange {
  /** bytes the driver sent back */
  answered: number;
  /** the driver closed the connection */
  closed: boolean;
  /** bytes we got to write before it closed (or all of them) */
  written: number;
}

/** Writes `payload` to the control port and waits up to 3 s for the driver to answer or hang up. */
function exchange(port: number, payload: Buffer): Promise<Exchange> {
  return new Promise((resolve) => {
    const result: Exchange = { answered: 0, closed: false, written: 0 };
    const socket = net.connect({ host: '127.0.0.1', port });
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(finish, 3000);
    socket.on('data', (data) => (result.answered += data.length));
    socket.on('close', () => {
      result.closed = true;
      finish();
    });
    socket.on('error', () => {}); // EPIPE / ECONNRESET once the driver hangs up: that is the point
    socket.on('connect', () => {
      // In slices, so a hang-up stops the writing instead of queueing all of it in Node.
      const slice = 64 * 1024;
      const writeFrom = (offset: number) => {
        if (offset >= payload.length || socket.destroyed) return;
        const chunk = payload.subarray(offset, offset + slice);
        socket.write(chunk, (error) => {
          if (error) return;
          result.written += chunk.length;
          writeFrom(offset + slice);
        });
      };
      writeFrom(0);
    });
  });
}

async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]) * 1024;
}

describeOnEachBlender("the driver's control channel, attacked", (blender) => {
  it('answers nothing before the token, hangs up on the first bad line, caps an unauthenticated line, and still serves the real client', async () => {
    const reporter = new RecordingReporter();
    let attacks: Promise<Record<string, Exchange | number>> | undefined;
    reporter.onReady = () => {
      const { controlPort, pid } = reporter.readyInfo!;
      attacks = (async () => {
        const before = await residentBytes(pid);
        const notJson = await exchange(controlPort!, Buffer.from('this is not JSON\n'));
        const noToken = await exchange(controlPort!, Buffer.from('{"op": "eval", "code": "1 + 1"}\n'));
        const wrongToken = await exchange(controlPort!, Buffer.from('{"token": "guess", "op": "shutdown"}\n'));
        const endless = await exchange(controlPort!, Buffer.alloc(64 * 1024 * 1024, 'x'));
        const grown = (await residentBytes(pid)) - before;
        return { notJson, noToken, wrongToken, endless, grown };
      })();
    };
    // Blender stays up while the attacks run: a job polled for a few seconds.
    const steps = [
      { name: 'start a job', send: { type: 'start_job', params: { seconds: 3 } }, capture: { job: '$.result.id' } },
      {
        name: 'job finishes',
        send: { type: 'get_job_status', params: { id: '{{job}}' } },
        retry: { timeout: '20s', interval: '100ms' },
        expect: { result: { status: 'completed' } },
      },
      { name: 'the real client still runs code', blender: '6 * 7', expect: 42 },
    ];
    const { outcome } = await runFixture(blender, 'asyncio', { steps, reporter });
    const results = await attacks!;

    for (const name of ['notJson', 'noToken', 'wrongToken']) {
      expect(results[name], name).toEqual(expect.objectContaining({ answered: 0, closed: true }));
    }
    const endless = results['endless'] as Exchange;
    expect(endless).toMatchObject({ answered: 0, closed: true });
    expect(endless.written).toBeLessThan(16 * 1024 * 1024); // hung up long before 64 MB
    expect(results['grown']).toBeLessThan(32 * 1024 * 1024);
    expect(outcome.results.map((r) => r.passed)).toEqual([true, true, true]);
    expect(outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] }); // "shutdown" without the token did nothing
  });
});
