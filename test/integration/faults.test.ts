import { expect, it } from 'vitest';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { XMLParser } from 'fast-xml-parser';
import { UserError } from '../../src/errors.js';
import { junitXml } from '../../src/report/junit.js';
import { acceptsConnections } from '../../src/session/port-owner.js';
import { listProcesses } from '../../src/session/process-table.js';
import path from 'node:path';
import { compareVersions, parseVersion } from '../../src/blender/version.js';
import { parseRunConfig, requireAddon } from '../../src/inputs/config.js';
import { runPipeline } from '../../src/main.js';
import { describeOnEachBlender, versionOf } from '../helpers/blender.js';
import { RecordingReporter } from '../helpers/recording-reporter.js';
import { FIXTURES, SERVICE_STEPS, runFixture, writeProbeFile } from '../helpers/fixture-run.js';
import { freePort } from '../helpers/ports.js';

/** A sleep duration no other test uses, so its process can be told apart. */
function uniqueSleepSeconds(): string {
  return String(100_000 + Math.floor(Math.random() * 800_000));
}

function parseJUnit(xml: string): { tests: string; failures: string; skipped: string } {
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml).testsuites;
}

/** A stranger's server on `port`: a real process of its own, listening until killed. */
async function strangerListening(port: number): Promise<ChildProcess> {
  const code = `import socket, time\ns = socket.socket()\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\ns.bind(("127.0.0.1", ${port}))\ns.listen()\ntime.sleep(120)`;
  const child = spawn('python3', ['-c', code], { stdio: 'ignore' });
  while (!(await acceptsConnections('127.0.0.1', port))) await sleep(20);
  return child;
}

async function processesRunning(command: string): Promise<number[]> {
  return (await listProcesses()).filter((p) => p.command === command && p.state !== 'Z').map((p) => p.pid);
}

describeOnEachBlender('addons that misbehave', (blender) => {
  it('register() raising: a clear error within seconds, no leftovers', async () => {
    const started = performance.now();
    const { outcome, reporter } = await runFixture(blender, 'register_raises', { steps: SERVICE_STEPS });

    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toBe("The add-on 'fixture_service' failed to enable: RuntimeError: fixture: register() fails on purpose.");
    expect(outcome.details).toContain('Traceback');
    expect(performance.now() - started).toBeLessThan(30_000); // far inside startup-timeout (60s)
    expect(reporter.events).not.toContain('ready');
    expect(outcome.teardown).toMatchObject({ kind: 'early', leftovers: [] });
    expect(outcome.teardown?.exit.exitCode).toBe(71);
  });

  it('an add-on that never opens its port: startup-timeout error with the log tail, no leftovers', async () => {
    const { outcome } = await runFixture(blender, 'never_listens', { steps: SERVICE_STEPS, inputs: { 'startup-timeout': '3s' } });

    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toMatch(/^The add-on was enabled but nothing accepted connections on 127\.0\.0\.1:\d+ within startup-timeout \(3s\)/);
    expect(outcome.details).toMatch(/Last lines of the Blender log .*\n[^]*\[blender-bg\] ready/);
    expect(outcome.results).toEqual([]);
    expect(outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });
  });

  it("unregister() hanging: SIGKILL after shutdown-timeout, 'not graceful', no leftovers", async () => {
    const { outcome } = await runFixture(blender, 'unregister_hangs', { steps: SERVICE_STEPS.slice(0, 1), inputs: { 'shutdown-timeout': '1s' } });

    expect(outcome.results.map((r) => r.passed)).toEqual([true]);
    expect(outcome.teardown).toMatchObject({ kind: 'killed', leftovers: [] });
    expect(outcome.teardown?.exit.signal).toBe('SIGKILL');
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toMatch(/did not exit within shutdown-timeout \(1s\) after SIGTERM and was killed, so teardown was not graceful/);
  });

  it.each([
    { mode: 'child', how: 'in Blender’s process group' },
    { mode: 'child_setsid', how: 'after setsid (found only by the run id)' },
    { mode: 'child_escaped', how: 'after env -i setsid -f (found only by ancestry: Blender is its subreaper)' },
  ])('a child process that outlives Blender, $how: reported, killed, run failed', async ({ mode }) => {
    const seconds = uniqueSleepSeconds();
    const { outcome } = await runFixture(blender, mode, { steps: SERVICE_STEPS.slice(0, 1), env: [`FIXTURE_CHILD_SECONDS=${seconds}`] });

    expect(outcome.results.map((r) => r.passed)).toEqual([true]);
    expect(outcome.teardown?.kind).toBe('graceful'); // Blender itself stopped fine...
    expect(outcome.teardown?.leftovers).toEqual([expect.objectContaining({ command: `sleep ${seconds}` })]);
    expect(outcome.ok).toBe(false); // ...but it left a process behind
    expect(outcome.failure).toMatch(new RegExp(`^1 process outlived Blender and was killed: pid \\d+ \\(state S\\): sleep ${seconds}\\.$`));
    expect(outcome.teardown?.unkillable).toEqual([]);
    expect(await processesRunning(`sleep ${seconds}`)).toEqual([]);
  });

  it('an add-on that ends Blender with exit 0 after the last reply: the run fails, never "stopped gracefully"', async () => {
    const steps = [SERVICE_STEPS[1], { name: 'answer, then exit 0', send: { type: 'exit_when_closed', params: { code: 0 } }, expect: { result: 'will exit' } }];
    const { outcome } = await runFixture(blender, 'asyncio', { steps });

    expect(outcome.results.map((r) => r.passed)).toEqual([true, true]);
    expect(outcome.ok).toBe(false);
    // Which one depends on whether our SIGTERM reached the driver before the add-on's exit did.
    expect(outcome.teardown?.kind).toMatch(/^(early|unclean)$/);
    expect(outcome.failure).toMatch(/^Blender exited with code 0 (before it was asked to stop|after SIGTERM, before the driver had disabled the add-on)/);
    expect(Number(parseJUnit(junitXml(outcome)).failures)).toBeGreaterThan(0);
  });

  it('a crash (SIGSEGV) mid-probe: the headline names the signal and the step; later steps are "not run", and JUnit fails', async () => {
    const steps = [SERVICE_STEPS[1], { name: 'crash', send: { type: 'crash', params: {} }, expect: {} }, SERVICE_STEPS[1], SERVICE_STEPS[0]];
    const { outcome } = await runFixture(blender, 'asyncio', { steps });

    expect(outcome.results.map((r) => [r.step, r.passed])).toEqual([
      ['echo', true],
      ['crash', false],
    ]);
    expect(outcome.results[1]?.failure).toBe('Blender was killed by SIGSEGV during this step');
    expect(outcome.notRun.map((s) => s.step)).toEqual(['echo', SERVICE_STEPS[0]!.name]);
    expect(outcome.teardown).toMatchObject({ kind: 'early', exit: { signal: 'SIGSEGV' }, leftovers: [] });
    expect(outcome.failure).toMatch(
      /^Blender was killed by SIGSEGV before it was asked to stop, during step "crash" \(.*probe\.json:\d+\); 2 later steps did not run\.$/,
    );
    // Blender's crash handler wrote a backtrace into the run's temp dir; it outlives the run dir.
    expect(outcome.teardown?.crashReport).toMatch(/blender-[0-9a-f-]{36}\.crash\.txt$/);
    expect(await readFile(outcome.teardown!.crashReport!, 'utf8')).toMatch(/^# Blender /);
    expect(outcome.details).toContain(`Blender's crash report (its backtrace), kept next to the log: ${outcome.teardown?.crashReport}`);
    const junit = parseJUnit(junitXml(outcome));
    expect(junit.failures).toBe('2'); // the step, and "Blender stays up until it is asked to stop"
    expect(junit.skipped).toBe('2');
  });

  it('a port another process holds before launch: refused with its pid and command, and Blender never starts', async () => {
    const port = await freePort();
    const stranger = await strangerListening(port);
    const reporter = new RecordingReporter();
    try {
      const run = runFixture(blender, 'asyncio', { steps: SERVICE_STEPS, reporter, inputs: { port: String(port) }, env: [`FIXTURE_PORT=${port}`] });
      const error = await run.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toMatch(
        new RegExp(
          `^Port ${port} is already in use by pid ${stranger.pid} \\(\\S*python3 -c import socket, time s = .*\\) before Blender started; the add-on's port must be Blender's own, so stop that process or choose another port\\.$`,
        ),
      );
      expect(reporter.events).toEqual(['starting']);
    } finally {
      stranger.kill('SIGKILL');
    }
  });

  it('a port a stranger takes while Blender starts (the add-on never binds it): fails naming the stranger, and no step talks to it', async () => {
    const port = await freePort();
    const reporter = new RecordingReporter();
    let stranger: Promise<ChildProcess> | undefined;
    // After the check before launch, long before Blender is ready (it takes most of a second).
    reporter.onStarting = () => {
      stranger = sleep(150).then(() => strangerListening(port));
    };
    try {
      const { outcome } = await runFixture(blender, 'never_listens', { steps: SERVICE_STEPS, reporter, inputs: { port: String(port) } });
      const { pid } = await stranger!;
      expect(outcome.ok).toBe(false);
      expect(outcome.failure).toMatch(
        new RegExp(
          `^Port ${port} is served by pid ${pid} \\(\\S*python3 -c import socket, time s = .*\\), not by Blender: the add-on did not get its port \\(see its log\\), and the probes would have talked to a stranger\\.$`,
        ),
      );
      expect(outcome.results).toEqual([]);
      expect(outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });
    } finally {
      (await stranger)?.kill('SIGKILL');
    }
  });

  it('a blender step that never returns holds the main thread: the kill names that step, not unregister()', async () => {
    const steps = [{ name: 'sleep on the main thread', blender: "__import__('time').sleep(3600)", timeout: '500ms' }];
    const { outcome } = await runFixture(blender, 'asyncio', { steps, inputs: { 'shutdown-timeout': '1s' } });

    expect(outcome.results[0]).toMatchObject({ passed: false, timedOut: true });
    expect(outcome.teardown).toMatchObject({ kind: 'killed', leftovers: [] });
    expect(outcome.details).toMatch(
      /- Blender did not exit within shutdown-timeout \(1s\) after SIGTERM and was killed, so teardown was not graceful; the main thread was still running the blender step "sleep on the main thread" \(.*probe\.json:\d+\), which had not replied in time\./,
    );
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
    expect(outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });
  });

  it('a malformed probe file fails with file:line:col and Blender is never launched', async () => {
    const file = await writeProbeFile('{\n  "steps": [\n    { "name": "x", "sned": {} }\n  ]\n}\n');
    const reporter = new RecordingReporter();
    const run = runFixture(blender, 'asyncio', { inputs: { probes: [file] }, reporter });

    await expect(run).rejects.toThrow(UserError);
    const error = (await run.catch((e: unknown) => e)) as UserError;
    expect(error.message).toMatch(
      /^Invalid probe file: \/.*probe\.json:3:5: steps\[0\]: needs one of send, http, blender, mcp or render \(and 1 more problem, listed below\)\.$/,
    );
    expect(error.details).toMatch(/probe\.json:3:20: steps\[0\]: unknown key 'sned'$/);
    expect(reporter.events).toEqual([]);
  });

  it('a cancelled run does not wait the full shutdown-timeout for a hanging unregister()', async () => {
    const controller = new AbortController();
    const reporter = new RecordingReporter();
    reporter.onReady = () => controller.abort();
    const started = performance.now();
    // With 120 s of shutdown-timeout honoured, this would outlast the test's own timeout.
    const { outcome } = await runFixture(blender, 'unregister_hangs', {
      steps: SERVICE_STEPS.slice(0, 1),
      reporter,
      signal: controller.signal,
      inputs: { 'shutdown-timeout': '120s' },
    });
    expect(outcome.teardown).toMatchObject({ kind: 'killed', leftovers: [] });
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
    expect(outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });
  });
});

describeOnEachBlender('an add-on that Blender refuses without a word', (blender) => {
  it('bl_info declaring "blender": (2, 72, 0): before 4.2 the failure says why; from 4.2 it loads', async () => {
    const before42 = compareVersions(versionOf(blender), parseVersion('4.2')!) < 0;
    const outcome = await runPipeline(
      requireAddon(parseRunConfig({ addon: path.join(FIXTURES, 'addons', 'old_bl_info'), 'blender-path': blender.executable })),
      new RecordingReporter(),
    );
    if (before42) {
      expect(outcome.failure).toMatch(
        /^The add-on 'old_bl_info' failed to enable: its bl_info declares "blender": \(2, 72, 0\), and Blender \S+ skips add-ons that declare less than \(2, 80, 0\) without a word; declare the oldest Blender it runs on, \(2, 80, 0\) or newer \(Blender's log: .+\.log\)\.$/,
      );
      expect(outcome.ok).toBe(false);
    } else {
      expect(outcome.failure).toBeUndefined();
      expect(outcome.ok).toBe(true);
    }
  });
});
