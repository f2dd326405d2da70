import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { StepResult } from '../../../src/probes/results.js';
import { planAnnotations } from '../../../src/report/annotations.js';
import { junitXml } from '../../../src/report/junit.js';
import type { RunOutcome } from '../../../src/report/outcome.js';
import { CLEAN_TEARDOWN, outcomeOf, stepResult } from '../../helpers/results.js';

const teardown = CLEAN_TEARDOWN;
const step = stepResult;
const outcome = (results: StepResult[], extra: Partial<RunOutcome> = {}): RunOutcome => outcomeOf(results, { teardown, ...extra });

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase'].includes(name) });

describe('JUnit XML', () => {
  it('a skipped run (incompatible-blender: skip) is a skipped testcase, not a pass or a failure', () => {
    const reason = "The extension 'tool' needs Blender 4.3.0 or newer (blender_version_min in ext/blender_manifest.toml); this is Blender 4.2.9.";
    const doc = parser.parse(junitXml({ ...outcome([]), ready: false, teardown: undefined, skipped: reason }, new Date(0)));
    expect(doc.testsuites).toMatchObject({ tests: '1', failures: '0', skipped: '1' });
    expect(doc.testsuites.testsuite[0].testcase[0]).toMatchObject({ name: 'Blender starts and the add-on becomes ready', skipped: { message: reason } });
  });

  it('has one testsuite per probe file and one testcase per step, with file and line; the session is a suite too', () => {
    const xml = junitXml(
      outcome([step('probes/a.json', 'one', true, 4), step('probes/a.json', 'two', false, 9, { attempts: 3 }), step('probes/b.json', 'three', true)]),
      new Date(0),
    );
    const doc = parser.parse(xml);
    expect(doc.testsuites).toMatchObject({ name: 'blender-bg-action', tests: '6', failures: '1' });
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s: { name: string; tests: string; failures: string; file?: string }) => [s.name, s.tests, s.failures, s.file])).toEqual([
      ['a.json', '2', '1', 'probes/a.json'],
      ['b.json', '1', '0', 'probes/b.json'],
      ['Blender session', '3', '0', undefined],
    ]);
    const [one, two] = suites[0].testcase;
    expect(one).toMatchObject({ name: 'one', classname: 'a.json', file: 'probes/a.json', line: '4', time: '0.012' });
    expect(two.failure.message).toBe(`$.a: expected 1, got 2 <&"'>`);
    expect(two.failure['#text']).toContain('after 3 attempts');
    expect(two.failure['#text']).toContain('expected $.a: 1');
    expect(two.failure['#text']).toContain('reply: {"a":2}');
  });

  it('reports a session that never became ready as a failing testcase, with the reason', () => {
    const xml = junitXml(outcome([], { ok: false, ready: false, failure: "The add-on 'x' failed to enable: ImportError: y.", details: 'Traceback…\x07bell' }));
    const session = parser.parse(xml).testsuites.testsuite.at(-1);
    expect(session.testcase[0].failure.message).toBe("The add-on 'x' failed to enable: ImportError: y.");
    expect(session.testcase[0].failure['#text']).toBe('Traceback…bell'); // control characters dropped: XML forbids them
  });

  it('fails the teardown testcase for leftovers', () => {
    const xml = junitXml(outcome([step('a.json', 'one', true)], { teardown: { ...teardown, leftovers: [{ pid: 9, state: 'S', command: 'sleep 9' }] } }));
    const session = parser.parse(xml).testsuites.testsuite.at(-1);
    expect(session.testcase[2]).toMatchObject({
      name: 'Blender stops gracefully and leaves no process behind',
      failure: { message: 'Blender stopped gracefully in 80ms; 1 leftover process(es) killed.' },
    });
  });

  it.each<[string, Partial<RunOutcome>, string]>([
    [
      'an exit nobody asked for',
      { teardown: { ...teardown, kind: 'early', record: {}, exit: { exitCode: 0, signal: undefined, spawnError: undefined } } },
      'Blender stays up until it is asked to stop',
    ],
    ['a cancelled run', { cancelled: true }, 'The run finishes without being cancelled'],
    ['a kill after the timeout', { teardown: { ...teardown, kind: 'killed' } }, 'Blender stops gracefully and leaves no process behind'],
    [
      'an unclean stop',
      { teardown: { ...teardown, kind: 'unclean', exit: { exitCode: 1, signal: undefined, spawnError: undefined } } },
      'Blender stops gracefully and leaves no process behind',
    ],
  ])('a session that failed for %s, with every step passed, has a failed testcase', (_, extra, failedCase) => {
    const doc = parser.parse(junitXml(outcome([step('a.json', 'one', true)], { ok: false, failure: 'it failed', ...extra })));
    expect(Number(doc.testsuites.failures)).toBeGreaterThan(0);
    const failed = doc.testsuites.testsuite
      .at(-1)
      .testcase.filter((c: { failure?: unknown }) => c.failure)
      .map((c: { name: string }) => c.name);
    expect(failed).toEqual([failedCase]);
  });

  it('steps Blender never reached are skipped testcases in their file, with the reason', () => {
    const notRun = [{ file: 'a.json', fileName: 'a.json', step: 'later', line: 9 }];
    const doc = parser.parse(junitXml(outcome([step('a.json', 'one', true)], { notRun, teardown: { ...teardown, kind: 'early', record: {} } })));
    const [file] = doc.testsuites.testsuite;
    expect(file).toMatchObject({ tests: '2', skipped: '1' });
    expect(file.testcase[1]).toMatchObject({ name: 'later', line: '9', skipped: { message: 'not run: Blender had ended' } });
  });
});

describe('annotations', () => {
  it('one per failing step, on its line, within the budget', () => {
    const results = [step('a.json', 'ok', true), step('a.json', 'bad', false, 7, { attempts: 2 })];
    expect(planAnnotations(results)).toEqual([
      { title: 'Probe step failed: bad (after 2 attempts)', message: `$.a: expected 1, got 2 <&"'>`, file: 'a.json', startLine: 7 },
    ]);
  });

  it('beyond the budget, the last annotation names the rest', () => {
    const results = Array.from({ length: 12 }, (_, i) => step('a.json', `s${i}`, false, i + 1));
    const planned = planAnnotations(results, 9);
    expect(planned).toHaveLength(9);
    expect(planned.slice(0, 8).map((a) => a.startLine)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(planned[8]).toEqual({
      title: '4 more probe steps failed',
      message: 'Also failed: a.json:9 s8; a.json:10 s9; a.json:11 s10; a.json:12 s11. The job summary lists every step.',
    });
    expect(planAnnotations(results.slice(0, 9), 9)).toHaveLength(9);
  });
});
