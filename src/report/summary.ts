import * as core from '@actions/core';
import type { AddonHealth } from '../addon-health/health.js';
import { describeAddonLeftover } from '../addon-health/leftovers.js';
import { memoryLine } from '../addon-health/memory.js';
import { cycleLine } from '../addon-health/reload-check.js';
import { formatBytes } from '../bytes.js';
import type { StepResult } from '../probes/results.js';
import { countsLine, failureLines, groupByFile, stepTiming } from './format.js';
import { teardownLine } from './teardown-sentences.js';
import { formatPercent } from '../coverage/model.js';
import { coverageLine, lineRanges } from '../coverage/table.js';
import { type MatrixReport, cellMark, rowName } from './matrix.js';
import type { ShardRecord } from '../shards/plan.js';
import type { RunOutcome } from './outcome.js';
import { type UiReport, describeUiError, uiCountsLine } from '../ui-check/ui-report.js';
import path from 'node:path';

/**
 * The job summary: per probe file, a row per step (result, time, attempts), each failure
 * expanded with what was expected and what came back; teardown; and, when Blender
 * misbehaved, why and the tail of its log.
 */
export async function writeJobSummary(outcome: RunOutcome): Promise<void> {
  if (!process.env['GITHUB_STEP_SUMMARY']) return; // not on a runner (local runs, tests)
  const heading = outcome.skipped ? '⏭️ blender-bg-action: skipped' : `${outcome.ok ? '✅' : '❌'} blender-bg-action: ${countsLine(outcome)}`;
  const summary = core.summary.addHeading(heading, 2);
  if (outcome.blenderVersion) summary.addRaw(`<p>Blender ${escapeHtml(outcome.blenderVersion)}</p>`, true);
  if (outcome.shard) summary.addRaw(`<p>${escapeHtml(shardLine(outcome.shard))}</p>`, true);
  if (outcome.skipped) {
    await summary.addRaw(`<p>${escapeHtml(outcome.skipped)}${outcome.shard ? '' : ' (incompatible-blender: skip)'}</p>`, true).write();
    return;
  }
  if (!outcome.ok && outcome.failure) summary.addRaw(`<p><strong>${escapeHtml(outcome.failure)}</strong></p>`, true);

  for (const [file, results] of groupByFile(outcome.results)) {
    summary.addHeading(`${escapeHtml(results[0]!.fileName)} <code>${escapeHtml(file)}</code>`, 3);
    summary.addTable([
      [
        { data: 'Step', header: true },
        { data: 'Result', header: true },
        { data: 'Time', header: true },
        { data: 'Line', header: true },
      ],
      ...results.map((r) => [escapeHtml(r.step), outcomeCell(r), stepTiming(r), `${file}:${r.line}`]),
    ]);
    for (const failed of results.filter((r) => !r.passed)) {
      summary.addDetails(`Why “${escapeHtml(failed.step)}” failed`, `\n\n<pre>${escapeHtml(failureLines(failed).join('\n'))}</pre>\n\n`);
    }
  }

  if (outcome.notRun.length > 0) {
    const why = outcome.cancelled ? 'the run was cancelled' : 'Blender had ended';
    const steps = outcome.notRun.map((s) => `${escapeHtml(s.step)} (<code>${escapeHtml(s.file)}:${s.line}</code>)`).join(', ');
    summary.addRaw(`<p>Not run, because ${why}: ${steps}</p>`, true);
  }
  if (outcome.teardown) summary.addRaw(`<p>Teardown: ${escapeHtml(teardownLine(outcome.teardown))}</p>`, true);
  if (outcome.coverage) {
    summary.addHeading(escapeHtml(coverageLine(outcome.coverage)), 3);
    summary.addTable([
      [
        { data: 'File', header: true },
        { data: 'Lines', header: true },
        { data: 'Covered', header: true },
        { data: 'Missing', header: true },
      ],
      ...outcome.coverage.files.map((f) => [
        `<code>${escapeHtml(f.file)}</code>`,
        formatPercent(f.percent),
        `${f.covered}/${f.total}`,
        escapeHtml(lineRanges(f.missing)),
      ]),
    ]);
  }
  if (outcome.deprecations.length > 0) {
    summary.addHeading(`Deprecations (${outcome.deprecations.length})`, 3);
    summary.addTable([
      [
        { data: 'Where', header: true },
        { data: 'Category', header: true },
        { data: 'Message', header: true },
        { data: 'Count', header: true },
      ],
      ...outcome.deprecations.map((d) => [
        d.file ? `<code>${escapeHtml(d.file)}${d.line ? `:${d.line}` : ''}</code>` : 'Blender',
        escapeHtml(d.category),
        escapeHtml(d.message),
        String(d.count),
      ]),
    ]);
  }
  if (outcome.health) addHealth(summary, outcome.health);
  if (outcome.ui) addUi(summary, outcome.ui);
  const differing = outcome.snapshots.filter((s) => s.actual);
  if (differing.length > 0) {
    // A job summary cannot show a file from the runner: it names them, for the artifact upload.
    summary.addHeading(`Renders that do not match (${differing.length})`, 3);
    summary.addTable([
      [
        { data: 'Step', header: true },
        { data: 'Approved image', header: true },
        { data: 'Written (output snapshot-results)', header: true },
      ],
      ...differing.map((s) => [
        `<code>${escapeHtml(s.file)}:${s.line}</code>`,
        `<code>${escapeHtml(s.image)}</code>`,
        [s.actual, s.expected, s.diff]
          .filter(Boolean)
          .map((f) => `<code>${escapeHtml(f!)}</code>`)
          .join('<br>'),
      ]),
    ]);
  }
  if (outcome.details) summary.addDetails('Details and the Blender log’s tail', `\n\n<pre>${escapeHtml(outcome.details)}</pre>\n\n`);
  if (outcome.logPath) summary.addRaw(`<p>Full Blender log: <code>${escapeHtml(outcome.logPath)}</code> (output <code>log-path</code>)</p>`, true);
  await summary.write();
}

/**
 * mode: report's summary: a row per test, probe step and session, a column per Blender, the
 * rows that differ first (each naming the first Blender it fails on), then the deprecations.
 */
/** What a shard's job ran, and that the probes are shard 1's. */
function shardLine(shard: ShardRecord): string {
  const files = `${shard.files.length} test file${shard.files.length === 1 ? '' : 's'}`;
  return `Shard ${shard.index}/${shard.total}: ${files} (plan ${shard.fingerprint})${shard.index > 1 ? '; the probes run in shard 1 only' : ''}.`;
}

export async function writeMatrixSummary(report: MatrixReport): Promise<void> {
  if (!process.env['GITHUB_STEP_SUMMARY']) return;
  const failing = report.failingColumns.length > 0 ? `failing on ${report.failingColumns.join(', ')}` : 'passing on every Blender';
  const summary = core.summary.addHeading(`blender-bg-action: ${report.columns.length} Blenders, ${failing}`, 2);
  summary.addRaw(`<p>${report.passed} passed, ${report.failed} failed</p>`, true);
  summary.addTable([
    [{ data: '', header: true }, ...report.columns.map((c) => ({ data: escapeHtml(c), header: true })), { data: 'First fails on', header: true }],
    ...report.rows.map((row) => [
      row.kind === 'session' ? `<strong>${escapeHtml(rowName(row))}</strong>` : escapeHtml(rowName(row)),
      ...report.columns.map((c) => {
        const cell = row.cells.get(c);
        return cell?.message && cell.outcome !== 'passed'
          ? `<span title="${escapeHtml(cell.message).replace(/"/g, '&quot;')}">${cellMark(cell)}</span>`
          : cellMark(cell);
      }),
      row.differs && row.firstFailing ? escapeHtml(row.firstFailing) : '',
    ]),
  ]);
  for (const note of report.notes) summary.addRaw(`<p>${escapeHtml(note)}</p>`, true);
  for (const column of report.columns) {
    const lines = report.deprecations.get(column) ?? [];
    if (lines.length > 0)
      summary.addDetails(`Deprecations on Blender ${escapeHtml(column)} (${lines.length})`, `\n\n<pre>${escapeHtml(lines.join('\n'))}</pre>\n\n`);
  }
  await summary.write();
}

/** The UI check: what failed to draw on its lines, what was not drawn and why, where the pictures are. */
function addUi(summary: typeof core.summary, ui: UiReport): void {
  const failing = ui.failOnErrors && ui.errors.length > 0;
  summary.addHeading(`${ui.errors.length > 0 ? (failing ? '❌ ' : '⚠️ ') : ''}${escapeHtml(uiCountsLine(ui))}`, 3);
  if (ui.problem) summary.addRaw(`<p>Not drawn: ${escapeHtml(ui.problem.message)}</p>`, true);
  if (ui.errors.length > 0) {
    summary.addTable([
      [
        { data: 'Where', header: true },
        { data: 'Drawing', header: true },
        { data: 'Error', header: true },
      ],
      ...ui.errors.map((e) => [
        e.file ? `<code>${escapeHtml(e.file)}${e.line ? `:${e.line}` : ''}</code>` : '',
        escapeHtml(e.label),
        escapeHtml(describeUiError({ ...e, file: undefined, label: '' }, ui.reloadCycles).replace(/^: /, '')),
      ]),
    ]);
    for (const e of ui.errors.filter((e) => e.traceback))
      summary.addDetails(`Traceback: ${escapeHtml(e.label)}`, `\n\n<pre>${escapeHtml(e.traceback!)}</pre>\n\n`);
  }
  const notDrawn = ui.targets.filter((t) => !t.drawn);
  if (notDrawn.length > 0) {
    summary.addTable([
      [
        { data: 'Not drawn', header: true },
        { data: 'Why', header: true },
        { data: 'Tried', header: true },
      ],
      ...notDrawn.map((t) => [escapeHtml(t.label), escapeHtml(t.reason ?? ''), escapeHtml(t.tried ?? '')]),
    ]);
  }
  // A job summary cannot show a file from the runner: the pictures are named, for the artifact upload.
  const pictures = ui.targets.filter((t) => t.image);
  if (ui.resultsDir && pictures.length > 0) {
    summary.addRaw(
      `<p>A picture of each panel and menu drawn, in <code>${escapeHtml(ui.resultsDir)}</code> (output <code>ui-results</code>): ${[...new Set(pictures.map((t) => path.basename(t.image!)))].map((f) => `<code>${escapeHtml(f)}</code>`).join(', ')}</p>`,
      true,
    );
  }
}

/** The add-on's own health: its background errors, what unregister() left, the reload cycles, Blender's memory. */
function addHealth(summary: typeof core.summary, health: AddonHealth): void {
  const judged = (mode: string) => (mode === 'fail' ? '' : ` (${mode}: listed, not failing the run)`);
  const place = (file: string | undefined, line: number | undefined) => (file ? `<code>${escapeHtml(file)}${line ? `:${line}` : ''}</code>` : '');
  if (health.errors.length > 0) {
    summary.addHeading(`The add-on’s code raised (${health.errors.length})${judged(health.errorsMode)}`, 3);
    summary.addTable([
      [
        { data: 'Where', header: true },
        { data: 'In', header: true },
        { data: 'Raised', header: true },
        { data: 'Count', header: true },
      ],
      ...health.errors.map((e) => [place(e.file, e.line), escapeHtml(e.where), escapeHtml(e.message), String(e.count)]),
    ]);
    for (const e of health.errors) summary.addDetails(`Traceback: ${escapeHtml(e.where)}`, `\n\n<pre>${escapeHtml(e.traceback)}</pre>\n\n`);
  }
  if (health.leftovers.length > 0) {
    summary.addHeading(`Left in Blender after unregister() (${health.leftovers.length})${judged(health.leftoversMode)}`, 3);
    summary.addTable([
      [
        { data: 'Found', header: true },
        { data: 'What', header: true },
        { data: 'Made at', header: true },
      ],
      ...health.leftovers.map((l) => [
        escapeHtml(l.phase),
        escapeHtml(describeAddonLeftover({ ...l, file: undefined, holder: l.holder && { ...l.holder, file: undefined } })),
        place(l.file, l.line),
      ]),
    ]);
  }
  if (health.reloads.length > 0) {
    summary.addHeading('Reload check', 3);
    summary.addTable([
      [
        { data: 'Cycle', header: true },
        { data: 'Result', header: true },
        { data: 'Memory after', header: true },
      ],
      ...health.reloads.map((c) => [
        `${c.cycle}/${c.of}`,
        escapeHtml(cycleLine(c).replace(/^Reload \d+\/\d+: /, '')),
        c.usage?.rssBytes ? formatBytes(c.usage.rssBytes) : '',
      ]),
    ]);
  }
  const memory = health.memory && memoryLine(health.memory);
  if (memory) summary.addRaw(`<p>${escapeHtml(memory)}</p>`, true);
}

function outcomeCell(r: StepResult): string {
  if (r.skipped !== undefined) return `⏭️ skipped: ${escapeHtml(r.skipped)}`;
  return r.passed ? '✅ passed' : `❌ ${escapeHtml(r.failure ?? 'failed')}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
