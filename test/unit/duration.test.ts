import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/duration.js';

describe('durations', () => {
  it.each([
    ['500ms', 's', 500],
    ['5s', 's', 5000],
    ['1.5s', 'ms', 1500],
    ['2m', 's', 120_000],
    ['1h', 's', 3_600_000],
    ['45', 's', 45_000],
    ['45', 'ms', 45],
    [' 10 ms ', 's', 10],
  ] as const)('%s (bare unit %s) is %d ms', (text, unit, ms) => {
    expect(parseDuration(text, unit)).toBe(ms);
  });

  it.each(['', 'soon', '5 sec', '-1s', '1e3', 's'])('%j is not a duration', (text) => {
    expect(parseDuration(text, 's')).toBeUndefined();
  });

  it('formats for people', () => {
    expect([formatDuration(12.4), formatDuration(1500), formatDuration(60_000), formatDuration(90_000)]).toEqual(['12ms', '1.5s', '1m', '1.5m']);
  });
});
