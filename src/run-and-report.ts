import { sourcesFor } from './blender/sources.js';
import { resolveVersionList } from './blender/versions-mode.js';
import { type RawInputs, type RunConfig, parseRunConfig } from './config.js';
import { UserError } from './errors.js';
import { runPipeline } from './main.js';
import { writeJUnit } from './report/junit.js';
import { type RunOutcome, outcomeBeforeLaunch, versionsOutcome } from './report/outcome.js';
import type { Reporter } from './report/reporter.js';

/**
 * What both entries (action and CLI) do: validate inputs, run, and write every report
 * whatever happened. A user's mistake becomes a failed outcome with one sentence; only
 * our own bugs are thrown.
 */
export async function runAndReport(raw: RawInputs, reporter: Reporter, signal?: AbortSignal): Promise<RunOutcome> {
  let config: RunConfig | undefined;
  let outcome: RunOutcome;
  try {
    config = parseRunConfig(raw);
    if (config.mode === 'versions') {
      // No Blender runs in this mode: the list is the whole result.
      reporter.versions(await resolveVersionList(config.versions!, sourcesFor(config.mirrors)));
      return versionsOutcome();
    }
    outcome = await runPipeline(config, reporter, signal);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    outcome = outcomeBeforeLaunch(error.message, error.details, error.location);
  }
  await reporter.finished(outcome);
  if (config?.junitPath) await writeJUnit(outcome, config.junitPath);
  return outcome;
}
