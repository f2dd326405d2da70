import { expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { listProcesses } from '../../src/session/process-table.js';
import { describeOnEachBlender } from '../helpers/blender.js';
import { RecordingReporter } from '../helpers/recording-reporter.js';
import { SERVICE_STEPS, runFixture, writeProbeFile } from '../helpers/fixture-run.js';

/** A sleep duration no other test uses, so its process can be told apart. */
function uniqueSleepSeconds(): string {
  return String(100_000 + Math.floor(Math.random() * 800_000));
}

async function processesRunning(command: string): Promise<number[]> {
  return (await listProcesses()).filter((p) => p.command === command && p.state !== 'Z').map((p) => p.pid);
}

describeOnEachBlender('addons that misbehave', (blender) => {
  it('register() raising: a clear error within seconds, no leftovers', async () => {
    const started = performance.now();
    const { outcome, reporter } = await runFixture(blender, 'register_raises', { steps: SERVICE_STEPS });

    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toBe("The addon 'fixture_service' failed to enable: RuntimeError: fixture: register() fails on purpose.");
    expect(outcome.details).toContain('Traceback');
    expect(performance.now() - started).toBeLessThan(30_000); // far inside startup-timeout (60s)
    expect(reporter.events).not.toContain('ready');
    expect(outcome.teardown).toMatchObject({ exitedEarly: true, leftovers: [] });
    expect(outcome.teardown?.exit.exitCode).toBe(71);
  });

  it('an addon that never opens its port: startup-timeout error with the log tail, no leftovers', async () => {
    const { outcome } = await runFixture(blender, 'never_listens', { steps: SERVICE_STEPS, inputs: { 'startup-timeout': '3s' } });

    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toMatch(/^The addon was enabled but nothing accepted connections on 127\.0\.0\.1:\d+ within startup-timeout \(3s\)/);
    expect(outcome.details).toMatch(/Last lines of the Blender log .*\n[^]*\[blender-bg\] ready/);
    expect(outcome.results).toEqual([]);
    expect(outcome.teardown).toMatchObject({ graceful: true, leftovers: [] });
  });

  it("unregister() hanging: SIGKILL after shutdown-timeout, 'not graceful', no leftovers", async () => {
    const { outcome } = await runFixture(blender, 'unregister_hangs', { steps: SERVICE_STEPS.slice(0, 1), inputs: { 'shutdown-timeout': '1s' } });

    expect(outcome.results.map((r) => r.passed)).toEqual([true]);
    expect(outcome.teardown).toMatchObject({ graceful: false, killed: true, leftovers: [] });
    expect(outcome.teardown?.exit.signal).toBe('SIGKILL');
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toMatch(/did not exit within shutdown-timeout \(1s\) after SIGTERM and was killed, so teardown was not graceful/);
  });

  it.each([
    { mode: 'child', how: 'in Blender’s process group' },
    { mode: 'child_setsid', how: 'after setsid (found only by the run id)' },
  ])('a child process that outlives Blender, $how: reported, killed, run failed', async ({ mode }) => {
    const seconds = uniqueSleepSeconds();
    const { outcome } = await runFixture(blender, mode, { steps: SERVICE_STEPS.slice(0, 1), env: [`FIXTURE_CHILD_SECONDS=${seconds}`] });

    expect(outcome.results.map((r) => r.passed)).toEqual([true]);
    expect(outcome.teardown?.graceful).toBe(true); // Blender itself stopped fine...
    expect(outcome.teardown?.leftovers).toEqual([expect.objectContaining({ command: `sleep ${seconds}` })]);
    expect(outcome.ok).toBe(false); // ...but it left a process behind
    expect(outcome.failure).toMatch(new RegExp(`^1 process outlived Blender and was killed: pid \\d+ \\(state S\\): sleep ${seconds}\\.$`));
    expect(outcome.teardown?.unkillable).toEqual([]);
    expect(await processesRunning(`sleep ${seconds}`)).toEqual([]);
  });

  it('a failing expectation: the step names path, expected and actual; later steps still run', async () => {
    const steps = [
      { name: 'wrong scene name', send: { type: 'get_scene_info', params: {} }, expect: { result: { name: 'Nope' } } },
      { name: 'wrong array', send: { type: 'echo', params: { list: [1, 2] } }, expect: { result: { list: [1, 2, 3] } } },
      SERVICE_STEPS[0],
    ];
    const { outcome } = await runFixture(blender, 'asyncio', { steps });

    expect(outcome.results.map((r) => r.passed)).toEqual([false, false, true]);
    expect(outcome.results[0]).toMatchObject({
      failure: '$.result.name: expected "Nope", got "Scene"',
      mismatch: { path: '$.result.name', expected: 'Nope', actual: 'Scene' },
    });
    expect(outcome.results[0]?.reply).toContain('"object_count": 3');
    expect(outcome.results[1]?.failure).toBe('$.result.list: expected 3 items, got 2: [1,2]');
    expect(outcome.failure).toMatch(/^2 of 3 probe steps failed; first: .*probe\.json › wrong scene name: \$\.result\.name: expected "Nope", got "Scene"\.$/);
    expect(outcome.teardown).toMatchObject({ graceful: true, leftovers: [] });
  });

  it('a malformed probe file fails with file:line:col and Blender is never launched', async () => {
    const file = await writeProbeFile('{\n  "steps": [\n    { "name": "x", "sned": {} }\n  ]\n}\n');
    const reporter = new RecordingReporter();
    const run = runFixture(blender, 'asyncio', { inputs: { probes: [file] }, reporter });

    await expect(run).rejects.toThrow(UserError);
    const error = (await run.catch((e: unknown) => e)) as UserError;
    expect(error.message).toMatch(/^Invalid probe file: \/.*probe\.json:3:5: steps\[0\]: needs one of send, http or blender \(and 1 more problem, listed below\)\.$/);
    expect(error.details).toMatch(/probe\.json:3:20: steps\[0\]: unknown key 'sned'$/);
    expect(reporter.events).toEqual([]);
  });

  it('a cancelled run does not wait the full shutdown-timeout for a hanging unregister()', async () => {
    const controller = new AbortController();
    const reporter = new RecordingReporter();
    reporter.onReady = () => controller.abort();
    const started = performance.now();
    // With 120 s of shutdown-timeout honoured, this would outlast the test's own timeout.
    const { outcome } = await runFixture(blender, 'unregister_hangs', { steps: SERVICE_STEPS.slice(0, 1), reporter, signal: controller.signal, inputs: { 'shutdown-timeout': '120s' } });
    expect(outcome.teardown).toMatchObject({ killed: true, leftovers: [] });
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('cancelling the run still stops Blender gracefully and scans for leftovers', async () => {
    const controller = new AbortController();
    const reporter = new RecordingReporter();
    reporter.onReady = () => controller.abort();
    const slowSteps = [{ name: 'never answered in time', send: { type: 'echo', params: {} }, expect: {} }];
    const { outcome } = await runFixture(blender, 'asyncio', { steps: slowSteps, reporter, signal: controller.signal });

    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toMatch(/^The run was cancelled; Blender was stopped and checked for leftover processes\./);
    expect(outcome.teardown).toMatchObject({ graceful: true, leftovers: [] });
  });
});
