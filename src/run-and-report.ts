import { sourcesFor } from './blender/sources.js';
import type { Cancellation } from './cancel.js';
import { resolveVersionList } from './blender/versions-mode.js';
import { type InputSource, type RunConfig, parseRunConfig } from './inputs/config.js';
import type { RawInputs } from './inputs/declarations.js';
import { UserError } from './errors.js';
import { runPipeline } from './main.js';
import type { SessionRunner } from './session-plan.js';
import { withWorkspaceDefaults } from './workspace/defaults.js';
import { toolVersion } from './package-files.js';
import { writeReport } from './write-report.js';
import { writeRunHtmlReport } from './html-report/write-html-report.js';
import { junitXml } from './report/junit.js';
import { matrixReport } from './report/matrix-report.js';
import { type RunOutcome, outcomeBeforeLaunch, versionsOutcome } from './report/outcome.js';
import { resultFileOf } from './report/result-file.js';
import { resultFileText } from './result-file/format.js';
import type { Reporter } from './report/reporter.js';

export interface RunOptions {
  /** the action's or the command line's (defaults differ: which Blender); the command line's when left out */
  source?: InputSource;
  cancellation?: Cancellation;
  /** a runner other than the run's own session, as the config asks (--watch) */
  runnerFor?: (config: RunConfig) => SessionRunner | undefined;
}

/**
 * What both entries (action and CLI) do: validate inputs, run, and write every report
 * whatever happened. A user's mistake becomes a failed outcome with one sentence; only
 * our own bugs are thrown.
 */
export async function runAndReport(raw: RawInputs, reporter: Reporter, options: RunOptions = {}): Promise<RunOutcome> {
  const { cancellation } = options;
  let config: RunConfig | undefined;
  let outcome: RunOutcome;
  try {
    config = parseRunConfig(raw, options.source);
    if (config.mode === 'versions') {
      // No Blender runs in this mode: the list is the whole result.
      reporter.versions(await resolveVersionList(config.versions!, sourcesFor(config.mirrors)));
      return versionsOutcome();
    }
    if (config.mode === 'report') return await matrixReport(config, reporter);
    // What was not named is looked for where repositories keep it, and said first.
    const workspace = await withWorkspaceDefaults(config, process.cwd());
    for (const line of workspace.lines) reporter.info(line);
    const resolved = workspace.config;
    config = resolved;
    outcome = await runPipeline(resolved, reporter, cancellation?.signal, options.runnerFor?.(resolved));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    outcome = outcomeBeforeLaunch(error.message, error.details, error.location);
  }
  // Blender is stopped (runPipeline always stops it): a signal now need not wait for the reports.
  cancellation?.nothingLeftToStop?.();
  const files = [
    { path: config?.junitPath, input: 'junit-path', text: () => junitXml(outcome) },
    {
      path: config?.resultPath,
      input: 'result-path',
      text: () => resultFileText(resultFileOf(outcome, { addonInput: config?.addon, toolVersion: toolVersion() })),
    },
  ];
  // Every report is written even when one cannot be: each failure is one sentence, and fails the run.
  const unwritten: string[] = [];
  for (const file of files) {
    if (!file.path) continue;
    const problem = await writeReport(file.path, file.input, file.text());
    if (problem) unwritten.push(problem);
  }
  if (config?.htmlReport) {
    const problem = await writeRunHtmlReport(config.htmlReport, outcome, config.addon);
    if (problem) unwritten.push(problem);
    else reporter.htmlReport(config.htmlReport);
  }
  if (unwritten.length > 0) outcome = withReportProblems(outcome, unwritten);
  await reporter.finished(outcome);
  return outcome;
}

/** The run, failed by reports that could not be written (its own problems kept first). */
function withReportProblems(outcome: RunOutcome, problems: string[]): RunOutcome {
  const failure = outcome.ok ? problems[0] : outcome.failure;
  const details = [outcome.details, problems.join('\n')].filter(Boolean).join('\n\n');
  return { ...outcome, ok: false, failure, details };
}
