import { setTimeout as sleep } from 'node:timers/promises';

/** Time, injectable: real in runs, fake in tests of deadlines. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }),
};

export interface RetryPolicy {
  timeoutMs: number;
  intervalMs: number;
  attempts: number | undefined;
}

export interface AttemptOutcome {
  passed: boolean;
  /** a failure that ends the retries at once (failIf matched) */
  final?: boolean;
}

/**
 * Runs `attempt` until it passes, it fails finally, the attempts run out, or the deadline
 * would pass before the next attempt. The interval is waited only between failed
 * attempts. Each attempt gets the time left before the deadline (`attempt(timeLeftMs)`).
 */
export async function retry<T extends AttemptOutcome>(
  policy: RetryPolicy | undefined,
  attempt: (timeLeftMs: number) => Promise<T>,
  clock: Clock = realClock,
  signal?: AbortSignal,
): Promise<{ outcome: T; attempts: number }> {
  if (!policy) return { outcome: await attempt(Number.POSITIVE_INFINITY), attempts: 1 };
  const deadline = clock.now() + policy.timeoutMs;
  for (let attempts = 1; ; attempts++) {
    const outcome = await attempt(Math.max(1, deadline - clock.now()));
    const outOfAttempts = policy.attempts !== undefined && attempts >= policy.attempts;
    const outOfTime = clock.now() + policy.intervalMs >= deadline;
    if (outcome.passed || outcome.final || outOfAttempts || outOfTime || signal?.aborted) return { outcome, attempts };
    try {
      await clock.sleep(policy.intervalMs, signal);
    } catch {
      return { outcome, attempts }; // cancelled while waiting
    }
  }
}
