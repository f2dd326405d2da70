import type { NotRunStep } from '../probes/results.js';
import { describeAddonError } from '../addon-health/errors.js';
import type { AddonHealth } from '../addon-health/health.js';
import { describeAddonLeftover } from '../addon-health/leftovers.js';
import { memoryLine, reloadGrowth } from '../addon-health/memory.js';
import { cycleLine } from '../addon-health/reload-check.js';
import { formatBytes } from '../bytes.js';
import { addonErrorLines, deprecationLines, failureLines, leftoverLines } from './format.js';
import { teardownLine } from './teardown-sentences.js';
import { type MatrixReport, rowName } from './matrix.js';
import type { RunOutcome } from './outcome.js';
import { type UiReport, describeUiError, uiProblems } from '../ui-check/ui-report.js';

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
  if (outcome.health) suites.push(healthSuite(outcome.health, timestamp));
  if (outcome.ui) suites.push(uiSuite(outcome.ui, timestamp));

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
      name: 'Blender starts and the add-on becomes ready',
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

const HEALTH = "The add-on's health";

/**
 * The add-on's health as testcases: a failing case per distinct background error and per
 * leftover where the inputs make them fail the run (in warn mode they are listed in the
 * suite's output instead), a case per reload cycle, and the memory limit.
 */
function healthSuite(health: AddonHealth, timestamp: Date): ReturnType<typeof suite> {
  const cases: Case[] = [];
  const listed: string[] = [];
  const failing = (message: string, details: string) => ({ message, details });
  if (health.errorsMode === 'fail' && health.errors.length > 0) {
    for (const e of health.errors) {
      cases.push({
        name: `${e.where} raised ${e.message}${e.count > 1 ? ` (${e.count} times)` : ''}`,
        classname: HEALTH,
        file: e.file,
        line: e.line,
        seconds: 0,
        failure: failing(describeAddonError(e), e.traceback),
      });
    }
  } else {
    cases.push({ name: "The add-on's code raises nothing where no test or probe sees it", classname: HEALTH, seconds: 0, failure: undefined });
    if (health.errors.length > 0) listed.push(`addon-errors: warn; the add-on's code raised:`, ...addonErrorLines(health.errors));
  }
  if (health.leftoversMode === 'fail' && health.leftovers.length > 0) {
    for (const l of health.leftovers) {
      cases.push({
        name: `unregister() left ${l.name} (${l.phase})`,
        classname: HEALTH,
        file: l.file,
        line: l.line,
        seconds: 0,
        failure: failing(describeAddonLeftover(l), `${l.phase}: ${describeAddonLeftover(l)}`),
      });
    }
  } else if (health.leftoversMode !== 'off') {
    cases.push({ name: 'unregister() leaves Blender as it found it', classname: HEALTH, seconds: 0, failure: undefined });
    if (health.leftovers.length > 0) listed.push('unregister-check: warn; left in Blender after unregister():', ...leftoverLines(health.leftovers));
  }
  for (const c of health.reloads) {
    cases.push({
      name: `Reload ${c.cycle}/${c.of}: the add-on comes back`,
      classname: HEALTH,
      seconds: c.reloadMs / 1000,
      failure: c.problem ? failing(c.problem, cycleLine(c)) : undefined,
    });
  }
  const growth = health.memory && reloadGrowth(health.memory);
  if (health.maxMemoryGrowthBytes !== undefined && growth !== undefined) {
    const over = growth > health.maxMemoryGrowthBytes;
    cases.push({
      name: `Blender's memory grows by at most ${formatBytes(health.maxMemoryGrowthBytes)} over the reload cycles`,
      classname: HEALTH,
      seconds: 0,
      failure: over ? failing(`it grew by ${formatBytes(growth)}`, health.memory ? (memoryLine(health.memory) ?? '') : '') : undefined,
    });
  }
  const memory = health.memory && memoryLine(health.memory);
  return suite(HEALTH, undefined, timestamp, cases, [...listed, ...(memory ? [memory] : [])].join('\n'));
}

/**
 * The UI check as testcases: one per thing the add-on draws (failed with its draw errors where
 * they fail the run, skipped with the reason where it was not drawn), and the check itself when
 * it could not draw.
 */
function uiSuite(ui: UiReport, timestamp: Date): ReturnType<typeof suite> {
  const name = `The add-on's UI${ui.blenderVersion ? ` (Blender ${ui.blenderVersion})` : ''}`;
  const lines = (errors: UiReport['errors']) =>
    errors.map((e) => [describeUiError(e, ui.reloadCycles), ...(e.traceback ? [e.traceback.trimEnd()] : [])].join('\n')).join('\n\n');
  const cases: Case[] = ui.targets.map((t) => {
    const errors = ui.errors.filter((e) => e.target === t.id);
    return {
      name: t.label,
      classname: name,
      ...(t.file ? { file: t.file } : {}),
      ...(t.line ? { line: t.line } : {}),
      seconds: 0,
      failure: ui.failOnErrors && errors.length > 0 ? { message: errors.map((e) => e.message).join('; '), details: lines(errors) } : undefined,
      ...(!t.drawn && errors.length === 0 ? { skipped: `not drawn: ${t.reason ?? 'not reached'}` } : {}),
    };
  });
  const elsewhere = ui.errors.filter((e) => !ui.targets.some((t) => t.id === e.target));
  const problems = uiProblems({ ...ui, errors: elsewhere });
  if (problems.length > 0 || ui.problem) {
    cases.push({
      name: "The add-on's UI is drawn",
      classname: name,
      seconds: 0,
      failure: problems.length > 0 ? { message: problems.join(' '), details: lines(elsewhere) } : undefined,
      ...(problems.length === 0 && ui.problem ? { skipped: ui.problem.message } : {}),
    });
  }
  const warned = ui.failOnErrors ? [] : ui.errors;
  return suite(name, undefined, timestamp, cases, warned.length > 0 ? `ui-check: warn; the add-on's UI failed to draw:\n${lines(warned)}` : '');
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
