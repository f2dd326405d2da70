import { expect, it } from 'vitest';
import { describeOnEachBlender } from '../helpers/blender.js';
import { SERVICE_STEPS, runFixture } from '../helpers/fixture-run.js';

// Each architecture real service add-ons use, run headless through the whole pipeline.
describeOnEachBlender('service add-on architectures, headless', (blender) => {
  const cases: { mode: string; what: string; inputs?: Record<string, string> }[] = [
    { mode: 'asyncio', what: '(a) asyncio server on the current event loop' },
    { mode: 'timers', what: '(b) thread server dispatching to the main thread with bpy.app.timers' },
    { mode: 'pump', what: '(c) thread server with its own queue drained by a pump', inputs: { pump: 'fixture_service:step' } },
    { mode: 'kick', what: '(d) asyncio server kept going by its own kick_async_loop() timer' },
    { mode: 'close', what: '(e) server that closes the connection after every reply' },
  ];

  it.each(cases)('$what answers every probe and stops gracefully', async ({ mode, inputs }) => {
    const { outcome, reporter } = await runFixture(blender, mode, { steps: SERVICE_STEPS, inputs });

    expect(outcome.results.map((r) => [r.step, r.failure])).toEqual(SERVICE_STEPS.map((s) => [s.name, undefined]));
    expect(outcome.results.every((r) => r.passed)).toBe(true);
    expect(outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });
    expect(outcome.ok).toBe(true);
    expect(outcome.failure).toBeUndefined();
    expect(reporter.events).toEqual(['starting', 'ready', 'step', 'step', 'step', 'step', 'stopping', 'stopped']);
    // The add-on's unregister() ran inside the graceful stop.
    expect(reporter.output).toContain("[blender-bg] disabling the add-on 'fixture_service'");
    expect(outcome.blenderVersion).toMatch(/^\d+\.\d+/);
  });

  it('a pump that names no function fails before the probes, in one sentence', async () => {
    const { outcome } = await runFixture(blender, 'asyncio', { steps: SERVICE_STEPS, inputs: { pump: 'fixture_service:no_such_step' } });
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toMatch(/^Input 'pump' names a function Blender could not find: .*no_such_step/);
    expect(outcome.results).toEqual([]);
    expect(outcome.teardown?.leftovers).toEqual([]);
  });

  it('a startup snippet runs after the add-on is enabled, and its exception fails the run', async () => {
    const ok = await runFixture(blender, 'asyncio', { steps: SERVICE_STEPS.slice(0, 1), inputs: { startup: 'print("startup ran", bpy.context.scene.name)' } });
    expect(ok.outcome.ok).toBe(true);
    expect(ok.reporter.output).toContain('startup ran Scene');

    const bad = await runFixture(blender, 'asyncio', { steps: SERVICE_STEPS.slice(0, 1), inputs: { startup: 'raise ValueError("no server today")' } });
    expect(bad.outcome.failure).toBe("The 'startup' snippet raised: ValueError: no server today.");
    expect(bad.outcome.details).toContain('Traceback');
  });
});
