import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProbeFile } from '../../../src/probes/load.js';
import { runProbes } from '../../../src/probes/run.js';

/** A real TCP server that answers every bare-JSON request with {"count": 3, "name": "three"}. */
let server: net.Server;
let port: number;
beforeAll(async () => {
  server = net.createServer((socket) => socket.on('data', () => socket.write('{"count": 3, "name": "three"}')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => server.close());

function probeFile(steps: unknown[]) {
  const parsed = parseProbeFile(JSON.stringify({ target: { port }, steps }), 'p.json');
  if ('problems' in parsed) throw new Error(parsed.problems.join('\n'));
  return parsed.file;
}

describe('operands that are templates', () => {
  it('load, and are checked with their value once the step runs: a captured number compares as a number', async () => {
    const file = probeFile([
      { name: 'capture', send: {}, capture: { count: '$.count' } },
      { name: 'compare', send: {}, expect: { count: { $gte: '{{count}}', $lt: 10 } } },
    ]);
    const results = await runProbes({ files: [file] }, { host: '127.0.0.1', port, timeoutMs: 2000, control: undefined }, () => {});
    expect(results.map((r) => [r.passed, r.failure])).toEqual([
      [true, undefined],
      [true, undefined],
    ]);
  });

  it('a template that fills in the wrong type fails the step with the words the loader uses', async () => {
    const file = probeFile([
      { name: 'capture', send: {}, capture: { name: '$.name' } },
      { name: 'compare', send: {}, expect: { count: { $gt: '{{name}}' } } },
    ]);
    const results = await runProbes({ files: [file] }, { host: '127.0.0.1', port, timeoutMs: 2000, control: undefined }, () => {});
    expect(results[1]).toMatchObject({ passed: false, failure: 'expect.count.$gt: $gt takes a number, once its templates were filled in (got "three")' });
  });

  it('a literal operand of the wrong type is still refused at load, with its line', () => {
    const parsed = parseProbeFile('{"target": {"port": 1}, "steps": [{"name": "x", "send": {}, "expect": {"count": {"$gt": "three"}}}]}', 'p.json');
    expect(parsed).toEqual({ problems: [expect.stringMatching(/^p\.json:1:\d+: .*\$gt takes a number/)] });
  });
});
