import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { failureLines, groupByFile, teardownLine } from './format.js';
import type { RunOutcome } from './outcome.js';

/**
 * JUnit XML as mikepenz/action-junit-report and dorny/test-reporter read it: one
 * testsuite per probe file, one testcase per step (with file and line), failures with a
 * message and details. The Blender session itself is a testsuite too, so a Blender that
 * never became ready, or left processes behind, shows up in the same report.
 */
export function junitXml(outcome: RunOutcome, timestamp = new Date()): string {
  const suites = [...groupByFile(outcome.results).entries()].map(([file, results]) =>
    suite(results[0]!.fileName, file, timestamp, results.map((r) => ({
      name: r.step,
      classname: r.fileName,
      file: r.file,
      line: r.line,
      seconds: r.durationMs / 1000,
      failure: r.passed ? undefined : { message: r.failure ?? 'failed', details: failureLines(r).join('\n') },
    }))),
  );
  suites.push(suite('Blender session', undefined, timestamp, sessionCases(outcome)));

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

export async function writeJUnit(outcome: RunOutcome, file: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, junitXml(outcome));
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

/** Startup and teardown as testcases: they pass or fail like steps do. */
function sessionCases(outcome: RunOutcome): Case[] {
  const { teardown } = outcome;
  const startup: Case = {
    name: 'Blender starts and the addon becomes ready',
    classname: 'Blender session',
    seconds: 0,
    failure: outcome.ready || outcome.skipped ? undefined : { message: outcome.failure ?? 'did not become ready', details: outcome.details ?? '' },
    skipped: outcome.skipped,
  };
  if (!teardown) return [startup];
  const clean = teardown.graceful && teardown.leftovers.length === 0;
  return [
    startup,
    {
      name: 'Blender stops gracefully and leaves no process behind',
      classname: 'Blender session',
      seconds: teardown.durationMs / 1000,
      failure: clean || teardown.exitedEarly ? undefined : { message: teardownLine(teardown), details: outcome.details ?? '' },
    },
  ];
}

function suite(name: string, file: string | undefined, timestamp: Date, cases: Case[]) {
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
  return { tests: cases.length, failures, skipped, seconds, xml: [`  <testsuite ${attributes}>`, ...body, '  </testsuite>'].join('\n') };
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
