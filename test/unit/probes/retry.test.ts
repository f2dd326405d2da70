import { describe, expect, it } from 'vitest';
import { type Clock, retry } from '../../../src/probes/retry.js';

/** Fake time: sleeping moves the clock at once; attempts can take time too. */
function fakeClock(): Clock & { elapsed: () => number; advance: (ms: number) => void } {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    elapsed: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('retry (with fake time)', () => {
  it('without a policy, attempts once', async () => {
    let calls = 0;
    const { attempts } = await retry(undefined, async () => ({ passed: ++calls > 5 }), fakeClock());
    expect([attempts, calls]).toEqual([1, 1]);
  });

  it('stops at the first pass, waiting the interval only between failures', async () => {
    const clock = fakeClock();
    let calls = 0;
    const { outcome, attempts } = await retry({ timeoutMs: 60_000, intervalMs: 500, attempts: undefined }, async () => ({ passed: ++calls === 4 }), clock);
    expect([outcome.passed, attempts, clock.elapsed()]).toEqual([true, 4, 1500]);
  });

  it('gives up before an attempt that could not start before the deadline', async () => {
    const clock = fakeClock();
    const { outcome, attempts } = await retry(
      { timeoutMs: 2000, intervalMs: 500, attempts: undefined },
      async () => {
        clock.advance(100); // each attempt takes 100 ms
        return { passed: false };
      },
      clock,
    );
    // attempts start at 0, 600, 1200; after the third (1300 ms) the next would start at 1800 + 100 > ... still < 2000? 1300+500=1800 < 2000 → a fourth at 1800, ends 1900; 1900+500 ≥ 2000 → stop
    expect([outcome.passed, attempts, clock.elapsed()]).toEqual([false, 4, 1900]);
  });

  it('gives each attempt only the time left before the deadline', async () => {
    const clock = fakeClock();
    const given: number[] = [];
    await retry(
      { timeoutMs: 1000, intervalMs: 300, attempts: undefined },
      async (timeLeftMs) => {
        given.push(timeLeftMs);
        return { passed: false };
      },
      clock,
    );
    expect(given).toEqual([1000, 700, 400, 100]); // the last starts at 900: before the deadline
  });

  it('stops after `attempts`, and at once on a final failure (failIf)', async () => {
    const clock = fakeClock();
    const limited = await retry({ timeoutMs: 60_000, intervalMs: 10, attempts: 3 }, async () => ({ passed: false }), clock);
    expect(limited.attempts).toBe(3);
    let calls = 0;
    const final = await retry({ timeoutMs: 60_000, intervalMs: 10, attempts: undefined }, async () => ({ passed: false, final: ++calls === 2 }), clock);
    expect(final.attempts).toBe(2);
  });

  it('stops when cancelled while waiting', async () => {
    const controller = new AbortController();
    const clock: Clock = { now: () => 0, sleep: async () => controller.abort() };
    const { attempts } = await retry({ timeoutMs: 60_000, intervalMs: 10, attempts: undefined }, async () => ({ passed: false }), clock, controller.signal);
    expect(attempts).toBe(2);
  });
});
