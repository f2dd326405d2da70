import { expect, it } from 'vitest';
import { idleCost } from '../../bench/process-stats.js';
import { describeOnEachBlender } from '../helpers/blender.js';
import { runFixture } from '../helpers/fixture-run.js';
import { RecordingReporter } from '../helpers/recording-reporter.js';

const PUMP = { pump: 'fixture_service:step', 'pump-interval': '300ms' };
const ECHOES = Array.from({ length: 5 }, (_, i) => ({ name: `echo ${i}`, send: { type: 'echo', params: { i } }, expect: { result: { i } } }));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describeOnEachBlender('pump addons and pump-wake', (blender) => {
  it('with pump-wake (the default) a pump addon answers well under one pump-interval; without, about one interval', async () => {
    const woken = await runFixture(blender, 'pump', { steps: ECHOES, inputs: PUMP });
    const ticked = await runFixture(blender, 'pump', { steps: ECHOES, inputs: { ...PUMP, 'pump-wake': 'false' } });
    for (const { outcome } of [woken, ticked]) {
      expect(outcome.results.map((r) => r.passed)).toEqual([true, true, true, true, true]);
      expect(outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });
    }
    expect(median(woken.outcome.results.map((r) => r.durationMs))).toBeLessThan(100);
    expect(median(ticked.outcome.results.map((r) => r.durationMs))).toBeGreaterThan(150);
  });

  it('a thread waiting in a tight loop (event.wait(0.001) forever) does not make the driver spin', async () => {
    const reporter = new RecordingReporter();
    let cost: Promise<{ cpuPercent: number }> | undefined;
    reporter.onReady = () => {
      cost = idleCost(reporter.readyInfo!.pid, 1);
    };
    const steps = [
      { name: 'start a job', send: { type: 'start_job', params: { seconds: 1.5 } }, capture: { job: '$.result.id' } },
      {
        name: 'job finishes',
        send: { type: 'get_job_status', params: { id: '{{job}}' } },
        retry: { timeout: '10s', interval: '200ms' },
        expect: { result: { status: 'completed' } },
      },
    ];
    const { outcome } = await runFixture(blender, 'pump_tight_waiter', { steps, reporter, inputs: { pump: 'fixture_service:step' } });
    expect(outcome.results.map((r) => r.passed)).toEqual([true, true]);
    // The waiter alone costs some; spinning would be a whole core (100%).
    expect((await cost!).cpuPercent).toBeLessThan(50);
  });
});
