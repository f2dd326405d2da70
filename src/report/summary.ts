import * as core from '@actions/core';
import { formatDuration } from '../duration.js';
import { teardownLine } from './format.js';
import type { RunOutcome } from './outcome.js';

/** The job summary: one row per step, then teardown, then why the run failed. */
export async function writeJobSummary(outcome: RunOutcome): Promise<void> {
  if (!process.env['GITHUB_STEP_SUMMARY']) return; // not on a runner (local `act` runs, tests)
  const summary = core.summary.addHeading(`blender-bg-action: ${outcome.ok ? 'passed' : 'failed'}`, 2);
  if (outcome.blenderVersion) summary.addRaw(`Blender ${outcome.blenderVersion}`, true);
  if (outcome.results.length > 0) {
    summary.addTable([
      [
        { data: 'File', header: true },
        { data: 'Step', header: true },
        { data: 'Result', header: true },
        { data: 'Time', header: true },
      ],
      ...outcome.results.map((r) => [
        `${r.file}:${r.line}`,
        r.step,
        r.passed ? '✅ passed' : `❌ ${escapeHtml(r.failure ?? 'failed')}`,
        formatDuration(r.durationMs),
      ]),
    ]);
  }
  if (outcome.teardown) summary.addRaw(`Teardown: ${teardownLine(outcome.teardown)}`, true);
  if (!outcome.ok && outcome.failure) {
    summary.addRaw(`<p><strong>${escapeHtml(outcome.failure)}</strong></p>`, true);
    if (outcome.details) summary.addDetails('Details', `<pre>${escapeHtml(outcome.details)}</pre>`);
  }
  if (outcome.logPath) summary.addRaw(`<p>Blender log: <code>${escapeHtml(outcome.logPath)}</code></p>`, true);
  await summary.write();
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
