import * as core from '@actions/core';
import { readActionInputs } from './action-inputs.js';
import { abortOnSignals } from './cancel.js';
import { parseRunConfig } from './config.js';
import { UserError, errorMessage } from './errors.js';
import { runPipeline } from './main.js';
import { ActionReporter } from './report/action-reporter.js';
import { outcomeBeforeLaunch } from './report/outcome.js';

/** The action's entry: one run, then `setFailed` with one sentence if it failed. */
async function run(): Promise<void> {
  const reporter = new ActionReporter();
  try {
    const outcome = await runPipeline(parseRunConfig(readActionInputs()), reporter, abortOnSignals());
    await reporter.finished(outcome);
    if (!outcome.ok) core.setFailed(outcome.failure ?? 'The run failed.');
  } catch (error) {
    if (error instanceof UserError) {
      await reporter.finished(outcomeBeforeLaunch(error.message, error.details));
      core.setFailed(error.message);
    } else {
      // Our bug, not the user's: the stack is what a maintainer needs.
      core.setFailed(`blender-bg-action failed unexpectedly: ${errorMessage(error)}\n${(error as Error)?.stack ?? ''}`);
    }
  }
}

await run();
