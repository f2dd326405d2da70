import { describe, expect, it } from 'vitest';
import { headline, judge } from '../../src/report/verdict.js';
import { CLEAN_TEARDOWN, stepResult } from '../helpers/results.js';

const clean = { ...CLEAN_TEARDOWN, durationMs: 50 };
const step = (passed: boolean, name = 's') => {
  const result = stepResult('p.json', name, passed);
  return passed ? result : { ...result, failure: '$.a: expected 1, got 2' };
};
const base = { sessionFailure: undefined, cancelled: false, results: [step(true)], teardown: clean, shutdownTimeoutMs: 10_000 };

describe('judge', () => {
  it('passes only a ready session with every step passed and a clean, graceful teardown', () => {
    expect(judge(base)).toEqual([]);
    expect(headline([])).toBeUndefined();
  });

  it('names the first failed step and counts the rest', () => {
    expect(judge({ ...base, results: [step(true), step(false, 'a'), step(false, 'b')] })).toEqual([
      '2 of 3 probe steps failed; first: p.json › a: $.a: expected 1, got 2.',
    ]);
  });

  it('fails a teardown that needed SIGKILL, or exited non-zero', () => {
    expect(judge({ ...base, teardown: { ...clean, graceful: false, killed: true, exit: { exitCode: undefined, signal: 'SIGKILL', spawnError: undefined } } })[0]).toMatch(
      /^Blender did not exit within shutdown-timeout \(10s\) after SIGTERM and was killed/,
    );
    expect(judge({ ...base, teardown: { ...clean, graceful: false, exit: { exitCode: 143, signal: undefined, spawnError: undefined } } })).toEqual([
      'Blender exited with code 143 after SIGTERM instead of exiting 0, so teardown was not graceful.',
    ]);
  });

  it('reports Blender dying during the probes, and every leftover', () => {
    const died = { ...clean, graceful: false, exitedEarly: true, exit: { exitCode: undefined, signal: 'SIGSEGV', spawnError: undefined } };
    const leftovers = [
      { pid: 10, state: 'S', command: 'sleep 5' },
      { pid: 11, state: 'Z', command: '[worker]' },
    ];
    const problems = judge({ ...base, results: [step(false)], teardown: { ...died, leftovers } });
    expect(problems).toEqual([
      'Blender was killed by SIGSEGV while the probes ran.',
      '1 of 1 probe steps failed; first: p.json › s: $.a: expected 1, got 2.',
      '2 processes outlived Blender and were killed: pid 10 (state S): sleep 5; pid 11 (zombie): [worker].',
    ]);
    expect(headline(problems)).toBe('Blender was killed by SIGSEGV while the probes ran (and 2 more problems).');
  });

  it('puts the reason the session never became ready first', () => {
    const problems = judge({ ...base, results: [], sessionFailure: "The addon 'x' failed to enable: ImportError: y.", teardown: { ...clean, graceful: false, exitedEarly: true } });
    expect(problems).toEqual(["The addon 'x' failed to enable: ImportError: y."]);
  });
});
