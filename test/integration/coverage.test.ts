import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { expect, it } from 'vitest';
import { coverageLine } from '../../src/coverage/table.js';
import { runAndReport } from '../../src/run-and-report.js';
import { describeOnEachBlender } from '../helpers/blender.js';
import { FIXTURES, writeProbeFile } from '../helpers/fixture-run.js';
import { freePort } from '../helpers/ports.js';
import { RecordingReporter } from '../helpers/recording-reporter.js';

const ADDON = path.join(FIXTURES, 'addons', 'coverage_service');
const SOURCE = path.relative(process.cwd(), path.join(ADDON, '__init__.py'));

/** The line of the add-on marked `# mark: <name>`. */
async function marked(name: string): Promise<number> {
  const lines = (await readFile(path.join(ADDON, '__init__.py'), 'utf8')).split('\n');
  return lines.findIndex((line) => line.endsWith(`# mark: ${name}`)) + 1;
}

async function runWithCoverage(blender: { executable: string }, inputs: Record<string, string | string[]>) {
  const port = await freePort();
  const probes = [
    await writeProbeFile({ name: 'coverage', steps: [{ name: 'scene', send: { type: 'scene' }, expect: { status: 'success', result: { scene: 'Scene' } } }] }),
  ];
  const reporter = new RecordingReporter();
  const outcome = await runAndReport(
    { addon: ADDON, port: String(port), probes, env: [`COVERAGE_PORT=${port}`], 'blender-path': blender.executable, coverage: 'true', ...inputs },
    reporter,
  );
  return { outcome, reporter };
}

describeOnEachBlender('coverage of the add-on’s own files, over the whole session', (blender) => {
  it('Cobertura: lines run on the server thread, on the main thread (a timer), in register() and unregister(); a branch not taken; named by its repository path', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-coverage-'));
    const report = path.join(dir, 'reports', 'coverage.xml');
    const { outcome } = await runWithCoverage(blender, { 'coverage-path': report });
    expect(outcome.results.map((r) => [r.step, r.passed])).toEqual([['scene', true]]);
    expect(outcome.ok).toBe(true);

    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['package', 'class', 'line'].includes(n) }).parse(
      await readFile(report, 'utf8'),
    );
    const classes = xml.coverage.packages.package.flatMap((p: { classes: { class: unknown[] } }) => p.classes.class) as {
      filename: string;
      lines: { line: Record<string, string>[] };
    }[];
    expect(classes.map((c) => c.filename)).toEqual([SOURCE]);
    const lines = Object.fromEntries(classes[0]!.lines.line.map((l) => [Number(l['number']), l]));
    for (const name of ['server thread', 'main thread', 'register', 'unregister', 'branch']) {
      expect(lines[await marked(name)], name).toMatchObject({ hits: '1' });
    }
    expect(lines[await marked('not taken')]).toMatchObject({ hits: '0' });
    expect(lines[await marked('branch')]).toMatchObject({ branch: 'true', 'condition-coverage': '50% (1/2)' });

    // (The server thread's way out, after unregister() closes its socket, races the final save.)
    expect(outcome.coverage).toMatchObject({ path: report, files: [{ file: SOURCE, missing: expect.arrayContaining([await marked('not taken')]) }] });
    expect(outcome.coverage!.percent).toBeGreaterThan(80);
    expect(outcome.coverage!.percent).toBeLessThan(100);
    expect(coverageLine(outcome.coverage!)).toMatch(
      new RegExp(`^Coverage: \\d+(\\.\\d)?% of \\d+ lines, \\d+(\\.\\d)?% of \\d+ branches \\(${report.replace(/[./]/g, '\\$&')}\\)$`),
    );
    expect(outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });
  });

  it('LCOV for a path ending in .lcov; coverage-min above what ran fails the run in one sentence, the report still written', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-coverage-'));
    const report = path.join(dir, 'coverage.lcov');
    const { outcome } = await runWithCoverage(blender, { 'coverage-path': report, 'coverage-min': '100' });
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toMatch(/^Line coverage of the add-on's files is \d+(\.\d)?%, below coverage-min \(100%\)\.$/);
    const lcov = await readFile(report, 'utf8');
    expect(lcov).toContain(`SF:${SOURCE}\n`);
    expect(lcov).toContain(`DA:${await marked('unregister')},1\n`);
    expect(lcov).toContain(`DA:${await marked('not taken')},0\n`);
    expect(lcov).toContain(`BRDA:${await marked('branch')},0,0,1\nBRDA:${await marked('branch')},0,1,0\n`);
    expect(lcov).toMatch(/BRF:\d+\nBRH:\d+\nLF:\d+\nLH:\d+\nend_of_record\n$/);
    expect(lcov.trimEnd().endsWith('end_of_record')).toBe(true);
  });

  it('a Blender whose Python has no coverage.py: one sentence saying how to add it', async () => {
    const hidden = path.join(FIXTURES, 'hide-coverage');
    const { outcome } = await runWithCoverage(blender, { 'blender-args': '--python-use-system-env', env: [`PYTHONPATH=${hidden}`, 'COVERAGE_PORT=1'] });
    expect(outcome.failure).toMatch(
      /^Coverage\.py is not importable in this Blender's Python 3\.\d+: add it with the python-packages input \(python-packages: coverage\), or on Debian and Ubuntu apt-get install python3-coverage\.$/,
    );
  });
});

it('the coverage-path unwritable is one sentence (the run fails, other reports written)', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-coverage-'));
  await writeFile(path.join(dir, 'file'), '');
  const { TEST_BLENDERS } = await import('../helpers/blender.js');
  const { outcome } = await runWithCoverage(TEST_BLENDERS[0]!, { 'coverage-path': path.join(dir, 'file', 'coverage.xml') });
  expect(outcome.failure).toBe(
    `Input 'coverage-path': ${path.join(dir, 'file', 'coverage.xml')} could not be written (a part of its path is a file, not a folder).`,
  );
});
