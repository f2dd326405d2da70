import { describe, expect, it } from 'vitest';
import { headline, judge } from '../../../src/report/verdict.js';
import type { TeardownReport } from '../../../src/session/session.js';
import { CLEAN_TEARDOWN, stepResult } from '../../helpers/results.js';

const clean = { ...CLEAN_TEARDOWN, durationMs: 50 };
const step = (passed: boolean, name = 's') => {
  const result = stepResult('p.json', name, passed);
  return passed ? result : { ...result, failure: '$.a: expected 1, got 2' };
};
const base = {
  sessionFailure: undefined,
  cancelled: false,
  results: [step(true)],
  notRun: [],
  teardown: clean,
  shutdownTimeoutMs: 10_000,
  deprecations: [],
  failOnDeprecations: false,
};
const exit = (exitCode: number | undefined, signal?: string) => ({ exitCode, signal, spawnError: undefined });
const early = (exitCode: number | undefined, signal?: string): TeardownReport => ({ ...clean, kind: 'early', record: {}, exit: exit(exitCode, signal) });

describe('judge', () => {
  it('passes only a ready session with every step passed and a clean, graceful teardown', () => {
    expect(judge(base)).toEqual([]);
    expect(headline([])).toBeUndefined();
  });

  it('deprecations fail the run only with deprecations: fail, naming the first by its line', () => {
    const deprecations = [
      { source: 'python' as const, category: 'DeprecationWarning', message: 'old_api is deprecated', file: 'src/ops.py', line: 12, count: 3 },
      { source: 'blender' as const, category: 'Blender', message: "'bgl' imported without an OpenGL backend.", file: undefined, line: undefined, count: 1 },
    ];
    expect(judge({ ...base, deprecations })).toEqual([]);
    expect(judge({ ...base, deprecations, failOnDeprecations: true })).toEqual([
      '2 deprecations with deprecations: fail; first: src/ops.py:12: DeprecationWarning: old_api is deprecated.',
    ]);
  });

  it('names the first failed step and counts the rest', () => {
    expect(judge({ ...base, results: [step(true), step(false, 'a'), step(false, 'b')] })).toEqual([
      '2 of 3 probe steps failed; first: p.json › a: $.a: expected 1, got 2.',
    ]);
  });

  it('fails a teardown that needed SIGKILL, or exited non-zero, or ended before the driver had stopped', () => {
    expect(judge({ ...base, teardown: { ...clean, kind: 'killed', exit: exit(undefined, 'SIGKILL') } })).toEqual([
      "Blender did not exit within shutdown-timeout (10s) after SIGTERM and was killed, so teardown was not graceful; does the add-on's unregister() hang?",
    ]);
    expect(judge({ ...base, teardown: { ...clean, kind: 'unclean', exit: exit(143) } })).toEqual([
      'Blender exited with code 143 after SIGTERM instead of exiting 0, so teardown was not graceful.',
    ]);
    expect(judge({ ...base, teardown: { ...clean, kind: 'unclean', record: { stopping: 'SIGTERM' }, exit: exit(0) } })).toEqual([
      'Blender exited with code 0 after SIGTERM, before the driver had disabled the add-on (did unregister() end the process?), so teardown was not graceful.',
    ]);
    expect(judge({ ...base, teardown: { ...clean, kind: 'unclean', record: {}, exit: exit(undefined, 'SIGTERM') } })).toEqual([
      'Blender was killed by SIGTERM before the driver could handle SIGTERM (it was still starting), so teardown was not graceful.',
    ]);
  });

  it('an exit 0 nobody asked for is an early exit, not a graceful stop', () => {
    expect(judge({ ...base, teardown: early(0) })).toEqual([
      'Blender exited with code 0 before it was asked to stop (did the add-on end the process itself?).',
    ]);
  });

  it('a killed Blender whose main thread ran a blender step that never replied: names that step, not unregister()', () => {
    const stuck = stepResult('p.json', 'bake forever', false, 8, { kind: 'blender', timedOut: true, failure: 'no reply within 1s (probe-timeout)' });
    const problems = judge({ ...base, results: [stuck], teardown: { ...clean, kind: 'killed', exit: exit(undefined, 'SIGKILL') } });
    expect(problems[1]).toBe(
      'Blender did not exit within shutdown-timeout (10s) after SIGTERM and was killed, so teardown was not graceful; the main thread was still running the blender step "bake forever" (p.json:8), which had not replied in time.',
    );
  });

  it('a crash during a step: the headline names the signal and the step, later steps are "not run", and every leftover is listed', () => {
    const crashed = stepResult('p.json', 'crash', false, 6, { blenderExited: true, failure: 'Blender was killed by SIGSEGV during this step' });
    const notRun = [
      { file: 'p.json', fileName: 'p.json', step: 'after', line: 9 },
      { file: 'p.json', fileName: 'p.json', step: 'later', line: 12 },
    ];
    const leftovers = [
      { pid: 10, state: 'S', command: 'sleep 5' },
      { pid: 11, state: 'Z', command: '[worker]' },
    ];
    const problems = judge({ ...base, results: [step(true), crashed], notRun, teardown: { ...early(undefined, 'SIGSEGV'), leftovers } });
    expect(problems).toEqual([
      'Blender was killed by SIGSEGV before it was asked to stop, during step "crash" (p.json:6); 2 later steps did not run.',
      '2 processes outlived Blender and were killed: pid 10 (state S): sleep 5; pid 11 (zombie): [worker].',
    ]);
    expect(headline(problems)).toBe(
      'Blender was killed by SIGSEGV before it was asked to stop, during step "crash" (p.json:6); 2 later steps did not run (and 1 more problem).',
    );
  });

  it('puts the reason the session never became ready first', () => {
    const problems = judge({ ...base, results: [], sessionFailure: "The add-on 'x' failed to enable: ImportError: y.", teardown: early(71) });
    expect(problems).toEqual(["The add-on 'x' failed to enable: ImportError: y."]);
  });
});
