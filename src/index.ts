import * as core from '@actions/core';
import { commandLineOnlyGiven, readActionInputs } from './inputs/action-inputs.js';
import { RunSignals } from './cancel.js';
import { errorMessage } from './errors.js';
import { ActionReporter } from './report/action-reporter.js';
import { runAndReport } from './run-and-report.js';

/** The action's entry: one run, then `setFailed` with one sentence if it failed. */
async function run(): Promise<void> {
  const refused = commandLineOnlyGiven();
  if (refused) {
    core.setFailed(refused);
    return;
  }
  try {
    const outcome = await runAndReport(readActionInputs(), new ActionReporter(), {
      source: { surface: 'action', env: process.env },
      cancellation: new RunSignals(),
    });
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
