import * as core from '@actions/core';
import { readActionInputs } from './action-inputs.js';
import { abortOnSignals } from './cancel.js';
import { errorMessage } from './errors.js';
import { ActionReporter } from './report/action-reporter.js';
import { runAndReport } from './run-and-report.js';

/** The action's entry: one run, then `setFailed` with one sentence if it failed. */
async function run(): Promise<void> {
  try {
    const outcome = await runAndReport(readActionInputs(), new ActionReporter(), abortOnSignals());
    if (!outcome.ok) core.setFailed(outcome.failure ?? 'The run failed.');
  } catch (error) {
    // Our bug, not the user's: the stack is what a maintainer needs.
    core.setFailed(`blender-bg-action failed unexpectedly: ${errorMessage(error)}\n${(error as Error)?.stack ?? ''}`);
  }
}

await run();
