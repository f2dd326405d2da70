import * as core from '@actions/core';
import { readActionInputs } from './action-inputs.js';
import { RunSignals } from './cancel.js';
import { errorMessage } from './errors.js';
import { ActionReporter } from './report/action-reporter.js';
import { runAndReport } from './run-and-report.js';

/** The action's entry: one run, then `setFailed` with one sentence if it failed. */
async function run(): Promise<void> {
  if (process.env['INPUT_WATCH']) {
    core.setFailed("Input 'watch' is for the command line (npx blender-bg-action --watch): a CI job has no one to save files or press keys.");
    return;
  }
  try {
    const outcome = await runAndReport(readActionInputs(), new ActionReporter(), new RunSignals());
    if (outcome.skipped) core.notice(`Skipped: ${outcome.skipped}`);
    if (outcome.ok) return;
    const failure = outcome.failure ?? 'The run failed.';
    if (!outcome.failureAt) {
      core.setFailed(failure);
      return;
    }
    // A problem in the user's own file (a manifest key): the annotation sits on its line.
    const { file, line, column } = outcome.failureAt;
    core.error(failure, { title: 'blender-bg-action', file, startLine: line, startColumn: column });
    process.exitCode = core.ExitCode.Failure;
  } catch (error) {
    // Our bug, not the user's: the stack is what a maintainer needs.
    core.setFailed(`blender-bg-action failed unexpectedly: ${errorMessage(error)}\n${(error as Error)?.stack ?? ''}`);
  }
}

await run();
