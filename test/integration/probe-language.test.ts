import { expect, it } from 'vitest';
import { describeOnEachBlender } from '../helpers/blender.js';
import { runFixture } from '../helpers/fixture-run.js';

// Probe language v1 against real Blender: polling, in-Blender steps, HTTP, other framings.
describeOnEachBlender('probe language v1', (blender) => {
  it('captures a count, checks it inside Blender, and polls a job until it completes', async () => {
    const { outcome } = await runFixture(blender, 'asyncio', {
      steps: [
        {
          name: 'scene info',
          send: { type: 'get_scene_info', params: {} },
          expect: { status: 'success', result: { name: 'Scene', object_count: { $gte: 1 } } },
          capture: { count: '$.result.object_count' },
        },
        { name: 'count agrees inside Blender', blender: 'len(bpy.data.objects)', expect: '{{count}}' },
        { name: 'start a job', send: { type: 'start_job', params: { seconds: 0.5 } }, capture: { job: '$.result.id' } },
        {
          name: 'job finishes',
          send: { type: 'get_job_status', params: { id: '{{job}}' } },
          retry: { timeout: '10s', interval: '100ms', failIf: { result: { status: { $in: ['failed', 'cancelled'] } } } },
          expect: { result: { status: 'completed' } },
        },
      ],
    });
    expect(outcome.results.map((r) => [r.step, r.passed, r.failure])).toEqual([
      ['scene info', true, undefined],
      ['count agrees inside Blender', true, undefined],
      ['start a job', true, undefined],
      ['job finishes', true, undefined],
    ]);
    const polled = outcome.results[3]!;
    expect(polled.attempts).toBeGreaterThan(2); // it really polled: ~0.5 s at 100 ms
    expect(polled.durationMs).toBeGreaterThanOrEqual(400);
    expect(outcome.ok).toBe(true);
  });

  it('failIf ends the polling of a job that fails, at once', async () => {
    const { outcome } = await runFixture(blender, 'asyncio', {
      steps: [
        { name: 'start a failing job', send: { type: 'start_job', params: { seconds: 0.3, fail: true } }, capture: { job: '$.result.id' } },
        {
          name: 'job finishes',
          send: { type: 'get_job_status', params: { id: '{{job}}' } },
          retry: { timeout: '30s', interval: '50ms', failIf: { result: { status: { $in: ['failed', 'cancelled'] } } } },
          expect: { result: { status: 'completed' } },
        },
      ],
    });
    const polled = outcome.results[1]!;
    expect(polled.passed).toBe(false);
    expect(polled.failure).toBe('the reply matched failIf, so the retries stopped: {"status": "success", "result": {"status": "failed"}}');
    expect(polled.durationMs).toBeLessThan(10_000);
  });

  it('blender steps: expressions, exec with result, Blender values as JSON, Python errors with their traceback', async () => {
    const { outcome } = await runFixture(blender, 'never_listens', {
      inputs: { port: '' }, // an add-on with no port at all: blender steps need none
      steps: [
        { name: 'version', blender: 'bpy.app.version', expect: { $size: 3 } },
        {
          name: 'exec sets result',
          blender: { exec: 'cube = bpy.data.objects["Cube"]\nresult = {"loc": cube.location, "name": cube.name}' },
          expect: { loc: [0, 0, 0], name: 'Cube' },
        },
        { name: 'names from exec persist', blender: 'cube.name', expect: 'Cube' },
        { name: 'runs on the main thread', blender: '__import__("threading").current_thread() is __import__("threading").main_thread()', expect: true },
        { name: 'raises', blender: '1 / 0' },
        { name: 'still works after an error', blender: 'len(D.objects)', expect: 3 },
      ],
    });
    expect(outcome.results.map((r) => [r.step, r.passed, r.failure])).toEqual([
      ['version', true, undefined],
      ['exec sets result', true, undefined],
      ['names from exec persist', true, undefined],
      ['runs on the main thread', true, undefined],
      ['raises', false, 'Python raised ZeroDivisionError: division by zero'],
      ['still works after an error', true, undefined],
    ]);
    expect(outcome.results[4]?.details).toContain('Traceback');
    expect(outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });
  });

  it('http steps against an add-on that serves HTTP', async () => {
    const { outcome } = await runFixture(blender, 'http', {
      steps: [
        { name: 'health', http: { method: 'GET', path: '/status' }, expect: { status: 200, headers: { 'x-fixture': 'yes' }, json: { ok: true, objects: 3 } } },
        { name: 'rpc', http: { method: 'POST', path: '/rpc', json: { type: 'echo', params: { n: 1 } } }, expect: { json: { result: { n: 1 } } } },
        { name: 'unknown route', http: { path: '/nope' }, expect: { status: 404, json: { error: { $startsWith: 'no route' } } } },
      ],
    });
    expect(outcome.results.map((r) => [r.step, r.passed, r.failure])).toEqual([
      ['health', true, undefined],
      ['rpc', true, undefined],
      ['unknown route', true, undefined],
    ]);
  });

  it.each(['ndjson', 'content-length'])('%s framing against a real add-on server', async (framing) => {
    const { outcome } = await runFixture(blender, 'lines', {
      env: [`FIXTURE_FRAMING=${framing}`],
      target: { framing },
      steps: [
        { name: 'echo', send: { type: 'echo', params: { text: 'é✓' } }, expect: { result: { text: 'é✓' } } },
        { name: 'scene', send: { type: 'get_scene_info' }, expect: { result: { object_count: 3 } } },
      ],
    });
    expect(outcome.results.map((r) => r.passed)).toEqual([true, true]);
  });

  it.each([
    { prefix: '4 big', target: { framing: 'length-prefixed' } },
    { prefix: '2 little', target: { framing: 'length-prefixed', lengthPrefix: { bytes: 2, byteOrder: 'little' } } },
    { prefix: '8 big', target: { framing: 'length-prefixed', lengthPrefix: { bytes: 8 } } },
  ])('length-prefixed framing ($prefix) against a real add-on server', async ({ prefix, target }) => {
    const { outcome } = await runFixture(blender, 'lines', {
      env: ['FIXTURE_FRAMING=length-prefixed', `FIXTURE_PREFIX=${prefix}`],
      target,
      steps: [
        { name: 'echo', send: { type: 'echo', params: { text: 'é✓' } }, expect: { result: { text: 'é✓' } } },
        { name: 'scene', send: { type: 'get_scene_info' }, expect: { result: { object_count: 3 } } },
      ],
    });
    expect(outcome.results.map((r) => [r.passed, r.failure])).toEqual([
      [true, undefined],
      [true, undefined],
    ]);
  });

  it('length-prefixed: a length over the limit fails that step at once, and the next step reconnects', async () => {
    const { outcome } = await runFixture(blender, 'lines', {
      env: ['FIXTURE_FRAMING=length-prefixed'],
      target: { framing: 'length-prefixed' },
      steps: [
        { name: 'huge', send: { type: 'announce_huge' } },
        { name: 'scene', send: { type: 'get_scene_info' }, expect: { result: { object_count: 3 } } },
      ],
    });
    expect(outcome.results.map((r) => [r.passed, r.failure])).toEqual([
      [false, "the reply's 4-byte length prefix announces 4 GiB, more than the 64 MiB a reply may be"],
      [true, undefined],
    ]);
    expect(outcome.results[0]!.durationMs).toBeLessThan(5_000); // not the 30 s probe-timeout
  });

  it('raw framing: a string out, a string or regex back', async () => {
    const { outcome } = await runFixture(blender, 'raw', {
      target: { framing: 'raw' },
      steps: [
        { name: 'exact', send: 'PING hello\n', expect: 'PONG hello\n' },
        { name: 'regex', send: 'PING 42\n', expect: { $regex: '^PONG \\d+\\n$' } },
      ],
    });
    expect(outcome.results.map((r) => [r.passed, r.failure])).toEqual([
      [true, undefined],
      [true, undefined],
    ]);
  });
});
