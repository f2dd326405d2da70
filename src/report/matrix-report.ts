import { readFile } from 'node:fs/promises';
import type { RunConfig } from '../config.js';
import { displayPath } from '../display-path.js';
import { UserError } from '../errors.js';
import { expandPatterns } from '../globs.js';
import { writeReport } from './write-report.js';
import { matrixJUnitXml } from './junit.js';
import { type MatrixReport, buildMatrix } from './matrix.js';
import { type RunOutcome, versionsOutcome } from './outcome.js';
import type { Reporter } from './reporter.js';
import { type ResultFile, parseResultFile } from './result-file.js';

/**
 * mode: report: the matrix jobs' result files, read and checked, become one table (a row per
 * test, probe step and session; a column per Blender), a merged JUnit with a testsuite per
 * Blender, and the failing versions. The report itself passes: the matrix jobs fail on their
 * own; it fails only when a result file cannot be read.
 */
export async function matrixReport(config: RunConfig, reporter: Reporter): Promise<RunOutcome> {
  const cwd = process.cwd();
  const files = await expandPatterns(config.results, cwd, 'results');
  const results: { file: string; result: ResultFile }[] = [];
  for (const file of files) {
    const shown = displayPath(file, cwd);
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new UserError(`Input 'results': ${shown} could not be read (${error.code ?? error.message}).`);
    });
    const parsed = parseResultFile(text, shown);
    if (typeof parsed === 'string') throw new UserError(`Input 'results': ${parsed}`);
    results.push({ file: shown, result: parsed });
  }
  const report: MatrixReport = buildMatrix(results.map((r) => r.result));
  let outcome: RunOutcome = versionsOutcome();
  if (config.junitPath) {
    const problem = await writeReport(config.junitPath, 'junit-path', matrixJUnitXml(report));
    if (problem) outcome = { ...outcome, ok: false, failure: problem };
  }
  await reporter.matrix(report, outcome.failure);
  return outcome;
}
