import { readFile } from 'node:fs/promises';
import type { RunConfig } from '../inputs/config.js';
import { displayPath } from '../display-path.js';
import { UserError } from '../errors.js';
import { expandPatterns } from '../globs.js';
import { durationsFileText, durationsOfResults, parallelUnsafeOfResults } from '../shards/durations.js';
import { mergeShards } from '../shards/merge.js';
import { writeReport } from '../write-report.js';
import { writeHtmlReport } from '../html-report/write-html-report.js';
import { matrixJUnitXml } from './junit.js';
import { type MatrixReport, buildMatrix, labelColumns } from './matrix.js';
import { type RunOutcome, versionsOutcome } from './outcome.js';
import type { Reporter } from './reporter.js';
import { type ResultFile, parseResultFile } from '../result-file/format.js';

/**
 * mode: report: the matrix jobs' result files, read and checked, become one table (a row per
 * test, probe step and session; a column per Blender), a merged JUnit with a testsuite per
 * Blender, and the failing versions. The report itself passes: the matrix jobs fail on their
 * own; it fails only when a result file cannot be read, or a Blender's shards do not add up
 * to one run (src/shards/merge.ts). durations-path: each test file's time, for the next plan.
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
  // Each Blender's shards become one column, as if one job had run them; checked first.
  const sharded = mergeShards(results);
  const report: MatrixReport = buildMatrix(sharded.results, sharded.notes);
  const problems = [...sharded.problems];
  if (config.junitPath) {
    const problem = await writeReport(config.junitPath, 'junit-path', matrixJUnitXml(report));
    if (problem) problems.push(problem);
  }
  if (config.durationsPath) {
    const problem = await writeReport(
      config.durationsPath,
      'durations-path',
      durationsFileText(durationsOfResults(results.map((r) => r.result)), parallelUnsafeOfResults(results.map((r) => r.result))),
    );
    if (problem) problems.push(problem);
  }
  if (config.htmlReport) {
    const problem = await writeHtmlReport(config.htmlReport, labelColumns(sharded.results), report);
    if (problem) problems.push(problem);
    else reporter.htmlReport(config.htmlReport);
  }
  let outcome: RunOutcome = versionsOutcome();
  if (problems.length > 0)
    outcome = { ...outcome, ok: false, failure: problems[0], details: problems.length > 1 ? problems.map((p) => `- ${p}`).join('\n') : undefined };
  await reporter.matrix(report, outcome.failure);
  return outcome;
}
