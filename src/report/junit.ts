import type { NotRunStep } from '../probes/results.js';
import { deprecationLines, failureLines } from './format.js';
import { teardownLine } from './teardown-sentences.js';
import { type MatrixReport, rowName } from './matrix.js';
import type { RunOutcome } from './outcome.js';

/**
 * JUnit XML as mikepenz/action-junit-report and dorny/test-reporter read it: one
 * testsuite per probe file, one testcase per step (with file and line), failures with a
 * message and details. The Blender session itself is a testsuite too, so a Blender that
 * never became ready, or left processes behind, shows up in the same report.
 */
export function junitXml(outcome: RunOutcome, timestamp = new Date()): string {
  const files = new Map<string, { name: string; cases: Case[] }>();
  const add = (file: string, name: string, testcase: Case) => {
    const entry = files.get(file) ?? { name, cases: [] };
    entry.cases.push(testcase);
    files.set(file, entry);
  };
  for (const r of outcome.results) {
    add(r.file, r.fileName, {
      name: r.step,
      classname: r.fileName,
      file: r.file,
      line: r.line,
      seconds: r.durationMs / 1000,
      failure: r.passed ? undefined : { message: r.failure ?? 'failed', details: failureLines(r).join('\n') },
      ...(r.skipped !== undefined ? { skipped: r.skipped } : {}),
    });
  }
  const why = outcome.cancelled ? 'not run: the run was cancelled' : 'not run: Blender had ended';
  for (const step of outcome.notRun) add(step.file, step.fileName, notRunCase(step, why));
  const suites = [...files.entries()].map(([file, { name, cases }]) => suite(name, file, timestamp, cases));
  // The session's system-out: the deprecations, one per line (where JUnit readers show a suite's output).
  suites.push(suite(SESSION, undefined, timestamp, sessionCases(outcome), deprecationLines(outcome.deprecations).join('\n')));

  return document(suites);
}

/** The <testsuites> document around the suites, with their totals. */
function document(suites: ReturnType<typeof suite>[]): string {
  const all = suites.reduce(
    (sum, s) => ({ tests: sum.tests + s.tests, failures: sum.failures + s.failures, skipped: sum.skipped + s.skipped, seconds: sum.seconds + s.seconds }),
    { tests: 0, failures: 0, skipped: 0, seconds: 0 },
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="blender-bg-action" tests="${all.tests}" failures="${all.failures}" errors="0" skipped="${all.skipped}" time="${all.seconds.toFixed(3)}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

/**
 * mode: report's merged JUnit: a testsuite per Blender (column), a testcase per row that
 * existed there (the session too), so a reader shows the matrix as suites side by side.
 */
export function matrixJUnitXml(report: MatrixReport, timestamp = new Date()): string {
  const suites = report.columns.map((column) => {
    const cases: Case[] = [];
    for (const row of report.rows) {
      const cell = row.cells.get(column);
      if (!cell) continue;
      const skipped = cell.outcome === 'skipped' || cell.outcome === 'not-run' ? (cell.message ?? cell.outcome) : undefined;
      cases.push({
        name: rowName(row),
        classname: `Blender ${column}`,
        ...(row.file ? { file: row.file } : {}),
        seconds: 0,
        failure: cell.outcome === 'failed' ? { message: cell.message ?? 'failed', details: cell.message ?? '' } : undefined,
        ...(skipped !== undefined ? { skipped } : {}),
      });
    }
    return suite(`Blender ${column}`, undefined, timestamp, cases, (report.deprecations.get(column) ?? []).join('\n'));
  });
  return document(suites);
}

interface Case {
  name: string;
  classname: string;
  file?: string;
  line?: number;
  seconds: number;
  failure: { message: string; details: string } | undefined;
  /** why it did not run (incompatible-blender: skip) */
  skipped?: string;
}

const SESSION = 'Blender session';

/**
 * The session's checks as testcases, so every reason a run fails is a failed testcase:
 * startup, Blender staying up until asked to stop, the run not being cancelled, and a
 * graceful teardown with nothing left behind.
 */
function sessionCases(outcome: RunOutcome): Case[] {
  const { teardown } = outcome;
  const failedWith = (message: string | undefined): Case['failure'] => ({ message: message ?? 'failed', details: outcome.details ?? '' });
  const cases: Case[] = [
    {
      name: 'Blender starts and the addon becomes ready',
      classname: SESSION,
      seconds: 0,
      failure: outcome.ready || outcome.skipped ? undefined : failedWith(outcome.failure),
      skipped: outcome.skipped,
    },
  ];
  if (!teardown || !outcome.ready) return cases;
  cases.push({
    name: 'Blender stays up until it is asked to stop',
    classname: SESSION,
    seconds: 0,
    failure: teardown.kind === 'early' ? failedWith(teardownLine(teardown)) : undefined,
  });
  if (outcome.cancelled) {
    cases.push({ name: 'The run finishes without being cancelled', classname: SESSION, seconds: 0, failure: failedWith('The run was cancelled.') });
  }
  const clean = (teardown.kind === 'graceful' || teardown.kind === 'early') && teardown.leftovers.length === 0;
  cases.push({
    name: 'Blender stops gracefully and leaves no process behind',
    classname: SESSION,
    seconds: teardown.durationMs / 1000,
    failure: clean ? undefined : failedWith(teardownLine(teardown)),
  });
  return cases;
}

/** Steps the run never reached, as skipped testcases in their file's suite. */
function notRunCase(step: NotRunStep, why: string): Case {
  return { name: step.step, classname: step.fileName, file: step.file, line: step.line, seconds: 0, failure: undefined, skipped: why };
}

function suite(name: string, file: string | undefined, timestamp: Date, cases: Case[], systemOut = '') {
  const failures = cases.filter((c) => c.failure).length;
  const skipped = cases.filter((c) => c.skipped).length;
  const seconds = cases.reduce((sum, c) => sum + c.seconds, 0);
  const attributes = attrs({ name, tests: cases.length, failures, errors: 0, skipped, time: seconds.toFixed(3), timestamp: timestamp.toISOString(), file });
  const body = cases.map((c) => {
    const open = `    <testcase ${attrs({ name: c.name, classname: c.classname, file: c.file, line: c.line, time: c.seconds.toFixed(3) })}`;
    if (c.skipped) return `${open}>\n      <skipped ${attrs({ message: c.skipped })}/>\n    </testcase>`;
    if (!c.failure) return `${open}/>`;
    return `${open}>\n      <failure ${attrs({ message: c.failure.message, type: 'failure' })}>${escapeText(c.failure.details)}</failure>\n    </testcase>`;
  });
  const out = systemOut ? [`    <system-out>${escapeText(systemOut)}</system-out>`] : [];
  return { tests: cases.length, failures, skipped, seconds, xml: [`  <testsuite ${attributes}>`, ...body, ...out, '  </testsuite>'].join('\n') };
}

function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}="${escapeAttribute(String(v))}"`)
    .join(' ');
}

// XML 1.0 forbids most control characters even escaped; a Blender log may hold them.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function escapeText(text: string): string {
  return text.replace(INVALID_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
