import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { parseRunConfig, requireAddon } from '../../src/inputs/config.js';
import { runPipeline } from '../../src/main.js';
import { resultFileOf } from '../../src/report/result-file.js';
import { describeOnEachBlender, type TestBlender } from '../helpers/blender.js';
import { FIXTURES, writeProbeFile } from '../helpers/fixture-run.js';
import { freePort } from '../helpers/ports.js';
import { RecordingReporter } from '../helpers/recording-reporter.js';

const SLOPPY = path.join(FIXTURES, 'addons', 'sloppy');
const SLOPPY_FILE = path.join(SLOPPY, '__init__.py');
/** The fixture as reports name it: relative to the working directory (the repository). */
const SHOWN = path.relative(process.cwd(), SLOPPY_FILE);
const SOURCE = readFileSync(SLOPPY_FILE, 'utf8').split('\n');

/** The line of the fixture holding `text` (the first after `after`, when given). */
function lineOf(text: string, after?: string): number {
  const start = after ? SOURCE.findIndex((l) => l.includes(after)) : 0;
  const index = SOURCE.findIndex((l, i) => i >= start && l.includes(text));
  if (index < 0) throw new Error(`the sloppy fixture has no line with ${text}`);
  return index + 1;
}

const send = (type: string) => ({ name: type, send: { type }, expect: { status: 'success' } });

async function runSloppy(blender: TestBlender, faults: string[], options: { steps?: unknown[]; inputs?: Record<string, string> } = {}) {
  const port = await freePort();
  const probes = options.steps ? [await writeProbeFile({ name: 'sloppy', steps: options.steps })] : [];
  const reporter = new RecordingReporter();
  const config = parseRunConfig({
    addon: SLOPPY,
    port: String(port),
    probes,
    env: [`SLOPPY_FAULTS=${faults.join(',')}`, `SLOPPY_PORT=${port}`],
    'blender-path': blender.executable,
    ...options.inputs,
  });
  const outcome = await runPipeline(requireAddon(config), reporter);
  return { outcome, reporter, port, health: outcome.health! };
}

const BACKGROUND_FAULTS = ['timer', 'handler', 'thread', 'task', 'unraisable'];
/** Each request makes one kind of background error happen; "ping" last, after they did. */
const BACKGROUND_STEPS = [
  send('boom'),
  send('load'),
  send('task'),
  send('unraisable'),
  { name: 'a moment for the thread and the task', blender: { exec: 'import time; time.sleep(0.3)' } },
  send('ping'),
];

describeOnEachBlender("the add-on's own health", (blender) => {
  it("every kind of background error fails the run, on the add-on's file and line; Blender's own tracebacks name the user's file", async () => {
    const { outcome, reporter, health } = await runSloppy(blender, BACKGROUND_FAULTS, { steps: BACKGROUND_STEPS });

    const places = Object.fromEntries(health.errors.map((e) => [e.kind, `${e.file}:${e.line} ${e.where}: ${e.message}`]));
    expect(places).toEqual({
      timer: `${SHOWN}:${lineOf('return 1 / 0')} bpy.app.timers function tick: ZeroDivisionError: division by zero`,
      callback: `${SHOWN}:${lineOf('raise KeyError')} load_post handler on_load: KeyError: 'no such scene setting'`,
      thread: `${SHOWN}:${lineOf('return 1 / 0', 'def worker')} thread 'sloppy-worker': ZeroDivisionError: division by zero`,
      asyncio: `${SHOWN}:${lineOf('raise ConnectionResetError')} asyncio task failing_task: ConnectionResetError: the client went away`,
      unraisable: `${SHOWN}:${lineOf('raise ValueError("cleanup failed")')} Exception ignored in Unraisable.__del__: ValueError: cleanup failed`,
    });
    expect(outcome.results.every((r) => r.passed)).toBe(true); // every probe passed: only the health check fails it
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toMatch(
      new RegExp(`^The add-on's code raised 5 errors where no test or probe saw it; first: ${SHOWN.replace(/[.]/g, '\\.')}:\\d+: `),
    );
    for (const error of health.errors) {
      expect(error.traceback).toContain(`File "${SHOWN}", line ${error.line}`);
      expect(error.traceback).not.toContain('/profile/');
    }
    const echoed = reporter.output.join('\n');
    expect(echoed).toContain(`File "${SHOWN}", line ${lineOf('raise KeyError')}, in on_load`);
    expect(echoed).not.toMatch(/profile\/scripts\/addons\/sloppy/);
    const result = resultFileOf(outcome, { addonInput: SLOPPY, toolVersion: '0.0.0' });
    expect(result.addonErrors?.map((e) => e.kind).sort()).toEqual(['asyncio', 'callback', 'thread', 'timer', 'unraisable']);
  });

  it('addon-errors: warn keeps the run green and lists every error', async () => {
    const { outcome, health } = await runSloppy(blender, BACKGROUND_FAULTS, { steps: BACKGROUND_STEPS, inputs: { 'addon-errors': 'warn' } });

    expect(health.errors.map((e) => e.kind).sort()).toEqual(['asyncio', 'callback', 'thread', 'timer', 'unraisable']);
    expect(outcome.failure).toBeUndefined();
    expect(outcome.ok).toBe(true);
  });

  it("register() raising: the failure names the exception and its line is the annotation's", async () => {
    const { outcome, health } = await runSloppy(blender, ['register_raises'], { steps: [send('ping')] });

    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toBe("The add-on 'sloppy' failed to enable: ValueError: the settings file is missing.");
    expect(outcome.failureAt).toEqual({ file: SHOWN, line: lineOf('raise ValueError("the settings file') });
    expect(health.errors).toMatchObject([{ kind: 'register', where: 'register()', file: SHOWN, line: lineOf('raise ValueError("the settings file') }]);
  });

  it('unregister() raising fails the run on its line, and what it did not take away is named', async () => {
    const { outcome, health } = await runSloppy(blender, ['unregister_raises'], { steps: [send('ping')] });

    expect(health.errors).toMatchObject([
      { kind: 'unregister', where: 'unregister()', message: 'RuntimeError: the server is still busy', file: SHOWN, line: lineOf('raise RuntimeError') },
    ]);
    expect(health.leftovers.map((l) => l.kind)).toEqual(expect.arrayContaining(['handler', 'timer', 'class', 'property', 'draw', 'thread']));
    expect(outcome.ok).toBe(false);
  });

  it('everything unregister() leaves behind is named with the line that made it', async () => {
    const faults = [
      'leave_handler',
      'leave_timer',
      'leave_class',
      'leave_property',
      'leave_draw',
      'leave_keymap',
      'leave_port',
      'leave_task',
      'leave_process',
      'leave_socket',
    ];
    const { outcome, health, port } = await runSloppy(blender, faults, { steps: [send('ping')] });

    const named = Object.fromEntries(health.leftovers.map((l) => [l.kind, `${l.name}${l.detail ? ` ${l.detail}` : ''} @${l.line}`]));
    expect(named).toMatchObject({
      handler: `load_post handler on_load @${lineOf('@persistent')}`, // a decorated function starts at its decorator
      timer: `bpy.app.timers function tick @${lineOf('def tick')}`,
      class: `Operator SLOPPY_OT_ping (sloppy.ping) @${lineOf('class SLOPPY_OT_ping')}`,
      property: `Scene.sloppy_level @${lineOf('bpy.types.Scene.sloppy_level =')}`,
      draw: `draw function draw_menu in VIEW3D_MT_add @${lineOf('def draw_menu')}`,
      thread: `thread 'sloppy-server' (daemon) still running @${lineOf('connection, _ = server.accept()')}`,
      port: `port 127.0.0.1:${port} still listening @${lineOf('server.listen(8)')}`,
      socket: expect.stringMatching(new RegExp(`^socket 127\\.0\\.0\\.1:\\d+ still open @${lineOf('_state["udp"] = socket.socket')}$`)),
      task: `asyncio task forever still pending @${lineOf('await asyncio.sleep(3600)')}`,
      process: expect.stringMatching(new RegExp(`^process \\d+ \\(sleep 30\\) still running @${lineOf('subprocess.Popen')}$`)),
    });
    expect(named['keymap']).toBe(`keymap item sloppy.ping (P PRESS) in '3D View' @${lineOf('keymap_items.new')}`);
    const portLeftover = health.leftovers.find((l) => l.kind === 'port')!;
    expect(portLeftover.holder).toMatchObject({ name: "thread 'sloppy-server'", file: SHOWN, line: lineOf('connection, _ = server.accept()') });
    expect(health.leftovers.every((l) => l.file === SHOWN && l.phase === 'teardown')).toBe(true);
    expect(outcome.ok).toBe(false);
    expect(outcome.details).toMatch(/^- unregister\(\) left 10 things in Blender; first: load_post handler on_load, /m);
    // The process is also what the leftover scan finds and kills after Blender exits.
    expect(outcome.teardown?.leftovers.map((l) => l.command)).toEqual([expect.stringContaining('sleep 30')]);
  });

  it('unregister-check: warn lists what is left and keeps the run green; off checks nothing', async () => {
    const faults = ['leave_handler', 'leave_property', 'leave_port'];
    const warned = await runSloppy(blender, faults, { steps: [send('ping')], inputs: { 'unregister-check': 'warn' } });
    expect(warned.health.leftovers.map((l) => l.kind).sort()).toEqual(['handler', 'port', 'property', 'thread']);
    expect(warned.outcome.ok).toBe(true);

    const off = await runSloppy(blender, faults, { steps: [send('ping')], inputs: { 'unregister-check': 'off' } });
    expect(off.health.leftovers).toEqual([]);
    expect(off.outcome.ok).toBe(true);
  });

  it('a clean addon passes reload-check: 3 with its probes answered after every cycle; memory figures in the outcome and the result file', async () => {
    const { outcome, reporter, health } = await runSloppy(blender, [], { steps: [send('ping'), send('load')], inputs: { 'reload-check': '3' } });

    expect(outcome.failure).toBeUndefined();
    expect(outcome.results.map((r) => `${r.step}: ${r.passed}`)).toEqual([
      'ping: true',
      'load: true',
      ...[1, 2, 3].flatMap((c) => [`ping (reload ${c}/3): true`, `load (reload ${c}/3): true`]),
    ]);
    expect(health.reloads.map((c) => [c.cycle, c.leftovers.length, c.problem])).toEqual([
      [1, 0, undefined],
      [2, 0, undefined],
      [3, 0, undefined],
    ]);
    expect(reporter.infoLines.filter((l) => l.startsWith('Reload '))).toEqual(
      [1, 2, 3].map((c) => expect.stringMatching(new RegExp(`^Reload ${c}/3: nothing left behind; enabled and ready again in .+; 2 probe steps passed\\.$`))),
    );
    const memory = health.memory!;
    for (const figure of [memory.atReadyBytes, memory.afterWorkBytes, ...memory.afterReloadBytes, memory.peakBytes])
      expect(figure).toBeGreaterThan(50 * 1024 * 1024);
    expect(memory.afterReloadBytes).toHaveLength(3);
    expect(memory.peakBytes).toBeGreaterThanOrEqual(Math.max(memory.atReadyBytes!, memory.afterWorkBytes!, ...memory.afterReloadBytes.map((b) => b!)));
    expect(memory.cpuSeconds).toBeGreaterThan(0);
    expect(resultFileOf(outcome, { addonInput: SLOPPY, toolVersion: '0.0.0' }).memory).toMatchObject({
      peakBytes: memory.peakBytes!,
      afterReloadBytes: memory.afterReloadBytes,
    });
    expect(outcome.ok).toBe(true);
  });

  it('an add-on that leaves its port bound fails reload 1, naming the port, the thread that holds it, and the bind that failed', async () => {
    const { outcome, health, port } = await runSloppy(blender, ['leave_port'], { steps: [send('ping')], inputs: { 'reload-check': '3' } });

    expect(health.reloads).toHaveLength(1);
    const [cycle] = health.reloads;
    expect(cycle!.leftovers.find((l) => l.kind === 'port')).toMatchObject({
      name: `port 127.0.0.1:${port}`,
      detail: 'still listening',
      phase: 'reload 1/3',
      holder: { name: "thread 'sloppy-server'" },
    });
    // Named at the add-on's own line, as the run's first enable is (the same words as --watch's reload).
    expect(cycle!.problem).toBe(
      `the add-on did not enable again: ${SHOWN}:${lineOf('server.bind(')}: register() raised OSError: [Errno 98] Address already in use`,
    );
    expect(health.errors).toContainEqual(expect.objectContaining({ kind: 'register', file: SHOWN, line: lineOf('server.bind(') }));
    expect(outcome.failure).toMatch(
      new RegExp(
        `^Reload 1/3: unregister\\(\\) left 2 things in Blender; first: thread 'sloppy-server' \\(daemon\\) still running, ${SHOWN.replace(/[.]/g, '\\.')}:\\d+ in serve`,
      ),
    );
    expect(outcome.details).toContain('Reload 1/3: the add-on did not enable again');
    expect(outcome.ok).toBe(false);
  });

  it('max-memory-growth: an add-on that keeps 16 MiB more on every enable fails over the cycles, saying by how much', async () => {
    const { outcome, health } = await runSloppy(blender, ['leak'], { steps: [send('ping')], inputs: { 'reload-check': '2', 'max-memory-growth': '20MiB' } });

    const growth = health.memory!.afterReloadBytes.at(-1)! - health.memory!.afterWorkBytes!;
    expect(growth).toBeGreaterThan(30 * 1024 * 1024);
    expect(outcome.failure).toMatch(/^Blender's resident memory grew by \d+(\.\d)? MiB over 2 reload cycles, more than max-memory-growth \(20 MiB\)\.$/);
    expect(outcome.ok).toBe(false);
  });
});

describeOnEachBlender('the unregister check blames nothing another module made', (blender) => {
  it("a factory reset's bundled add-ons and a bundled add-on a test enables are theirs; an item whose owner cannot be told is said, not counted", async () => {
    const reporter = new RecordingReporter();
    const outcome = await runPipeline(
      requireAddon(
        parseRunConfig({
          addon: path.join(FIXTURES, 'addons', 'keymapped'),
          tests: [path.join(FIXTURES, 'unit-tests', 'other-modules')],
          'test-runner': 'unittest',
          'ui-check': 'off',
          'blender-path': blender.executable,
        }),
      ),
      reporter,
    );
    expect(outcome.results.map((r) => r.passed)).toEqual([true, true, true]);
    expect(outcome.health?.leftovers).toEqual([]);
    expect(outcome.health?.unowned?.map((l) => [l.name, l.file, l.line])).toEqual([
      ["keymap item screen.animation_play (F5 PRESS) in 'Window'", undefined, undefined],
    ]);
    expect(outcome.health?.unowned?.[0]?.detail).toMatch(
      /^\(whose it is cannot be told: nothing in the add-on's files names screen\.animation_play; it may be Blender's or the tests'; not counted\)$/,
    );
    expect(outcome.failure).toBeUndefined();
    expect(outcome.ok).toBe(true);
  });
});
