import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyChange, planChanges, planKey } from '../../../src/watch/plan.js';
import { merge, watchRefusal } from '../../../src/watch/watch-session.js';

const root = '/work/repo';
const at = (p: string) => path.join(root, p);
const targets = {
  addon: at('my_addon'),
  tests: [at('tests/test_a.py'), at('tests/test_b.py'), at('other/test_c.py')],
  probes: [at('tests/probes/echo.json'), at('tests/probes/scene.json')],
};
const shown = (file: string) => path.relative(root, file);

describe('what a save is to the watch', () => {
  it('the add-on’s files, a test file or a helper beside tests, a probe file; editors’ temporary files and caches are nothing', () => {
    expect(classifyChange(at('my_addon/ops.py'), targets)).toBe('addon');
    expect(classifyChange(at('my_addon/data/icons.png'), targets)).toBe('addon');
    expect(classifyChange(at('tests/test_a.py'), targets)).toBe('test');
    expect(classifyChange(at('tests/conftest.py'), targets)).toBe('test');
    expect(classifyChange(at('tests/probes/echo.json'), targets)).toBe('probe');
    for (const noise of [
      'my_addon/.ops.py.swp',
      'my_addon/ops.py~',
      'my_addon/4913',
      'my_addon/__pycache__/ops.cpython-311.pyc',
      'tests/output/result.txt',
      'README.md',
    ]) {
      expect(classifyChange(at(noise), targets), noise).toBeUndefined();
    }
  });

  it('a test file inside the add-on is a test (it runs alone), not a change of the add-on', () => {
    const inside = { ...targets, tests: [at('my_addon/testing/test_core.py')] };
    expect(classifyChange(at('my_addon/testing/test_core.py'), inside)).toBe('test');
  });
});

describe('planChanges: what a burst of saves runs', () => {
  it('the add-on changed: reload, then every test and probe file', () => {
    expect(planChanges([at('my_addon/ops.py'), at('tests/test_a.py')], targets, shown)).toEqual({
      reload: true,
      tests: targets.tests,
      probes: targets.probes,
      why: 'my_addon/ops.py, tests/test_a.py changed',
    });
  });

  it('a test file runs alone; a helper beside tests runs that folder’s tests; a probe file runs alone; no reload', () => {
    expect(planChanges([at('tests/test_b.py')], targets, shown)).toEqual({
      reload: false,
      tests: [at('tests/test_b.py')],
      probes: [],
      why: 'tests/test_b.py changed',
    });
    expect(planChanges([at('tests/helpers.py')], targets, shown)).toMatchObject({
      reload: false,
      tests: [at('tests/test_a.py'), at('tests/test_b.py')],
      probes: [],
    });
    expect(planChanges([at('tests/probes/scene.json')], targets, shown)).toMatchObject({ reload: false, tests: [], probes: [at('tests/probes/scene.json')] });
  });

  it('an editor’s temporary file that came and went is not named; a file removed is, when nothing else is there', () => {
    const gone = new Set([at('my_addon/sedX1y2Z3')]);
    expect(planChanges([at('my_addon/sedX1y2Z3'), at('my_addon/ops.py')], targets, shown, (f) => !gone.has(f))?.why).toBe('my_addon/ops.py changed');
    expect(planChanges([at('my_addon/old.py')], targets, shown, () => false)).toMatchObject({ reload: true, why: 'my_addon/old.py changed' });
  });

  it('nothing the watch looks at: no run; many files: the first three named', () => {
    expect(planChanges([at('my_addon/__pycache__/x.pyc'), at('docs/index.md')], targets, shown)).toBeUndefined();
    const many = ['a', 'b', 'c', 'd', 'e'].map((n) => at(`my_addon/${n}.py`));
    expect(planChanges(many, targets, shown)?.why).toBe('my_addon/a.py, my_addon/b.py, my_addon/c.py and 2 more changed');
  });
});

describe('the keys and waiting runs', () => {
  it('a: everything; f: what failed, or nothing to run', () => {
    expect(planKey('all', targets, new Set())).toEqual({ reload: false, tests: targets.tests, probes: targets.probes, why: 'a: everything' });
    expect(planKey('failed', targets, new Set([at('tests/test_b.py'), at('tests/probes/echo.json')]))).toEqual({
      reload: false,
      tests: [at('tests/test_b.py')],
      probes: [at('tests/probes/echo.json')],
      why: 'f: what failed',
    });
    expect(planKey('failed', targets, new Set())).toBeUndefined();
  });

  it('runs that wait become one: a reload if either reloads, the files of both; a restart wins', () => {
    const a = { reload: false, tests: [at('tests/test_a.py')], probes: [], why: 'tests/test_a.py changed' };
    const b = { reload: true, tests: [at('tests/test_b.py'), at('tests/test_a.py')], probes: [at('tests/probes/echo.json')], why: 'my_addon/ops.py changed' };
    expect(merge(undefined, a)).toBe(a);
    expect(merge(a, b)).toEqual({
      reload: true,
      tests: [at('tests/test_a.py'), at('tests/test_b.py')],
      probes: [at('tests/probes/echo.json')],
      why: 'tests/test_a.py changed; my_addon/ops.py changed',
    });
    expect(merge(a, 'restart')).toBe('restart');
    expect(merge('restart', b)).toBe('restart');
  });
});

describe('what --watch refuses, in one sentence', () => {
  const plan = (source: { archive?: string }, shard?: { index: number; total: number }, more: { companion?: string; mcp?: boolean } = {}) =>
    ({
      config: { shard, companion: more.companion },
      addon: { source: { root: '/r/my_addon', shownAs: 'dist/my_addon.zip', archive: source.archive } },
      suite: { files: [{ target: { mcp: more.mcp ? { kind: 'stdio', command: 'x', env: {} } : undefined } }] },
    }) as unknown as Parameters<typeof watchRefusal>[0];

  it('a zip (nothing to reload from), a shard (watch runs every file); a folder is watched', () => {
    expect(watchRefusal(plan({ archive: '/r/dist/my_addon.zip' }))).toBe(
      '--watch reloads the add-on from its source: give the folder (or .py file) dist/my_addon.zip is built from, not the zip.',
    );
    expect(watchRefusal(plan({}, { index: 2, total: 4 }))).toBe('--watch runs every test file as you change them: leave out --shard.');
    expect(watchRefusal(plan({}))).toBeUndefined();
  });

  it('a companion, MCP probe files: not yet', () => {
    expect(watchRefusal(plan({}, undefined, { companion: 'node bridge.js' }))).toBe(
      '--watch does not start a companion yet: run without --watch to test the add-on with its companion.',
    );
    expect(watchRefusal(plan({}, undefined, { mcp: true }))).toBe(
      '--watch does not run MCP probe files yet: leave them out of --probes, or run without --watch.',
    );
  });
});
