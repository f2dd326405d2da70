import path from 'node:path';
import * as core from '@actions/core';
import type { Installation } from '../blender/installation.js';
import { type SourceLocation, errorMessage } from '../errors.js';
import { formatDuration } from '../duration.js';
import { snapshotResultsFolder } from '../snapshots/snapshot-check.js';
import type { StepResult } from '../probes/results.js';
import type { ReadyInfo } from '../session/driver-protocol.js';
import type { TeardownReport } from '../session/session.js';
import { counts, failureLines, healthSections, stepLine, uiSection } from './format.js';
import { teardownLine } from './teardown-sentences.js';
import type { RunOutcome } from './outcome.js';
import { annotateOutcome } from './annotations.js';
import { OutputValve } from './output-valve.js';
import type { Progress } from '../progress.js';
import { startProgress } from './progress.js';
import type { Reporter } from './reporter.js';
import { coverageLine, coverageTableText } from '../coverage/table.js';
import { type MatrixReport, matrixText } from './matrix.js';
import { writeJobSummary, writeMatrixSummary } from './summary.js';

/**
 * GitHub Actions: Blender's startup and shutdown output in collapsible groups, probe
 * results as plain lines between them, then the job summary and outputs.
 */
export class ActionReporter implements Reporter {
  private inGroup = false;
  /** core.info writes to stdout: the job log's reader may fall behind a chatty Blender */
  private readonly valve = new OutputValve(process.stdout);

  info(line: string): void {
    core.info(line);
  }

  warning(line: string, at?: SourceLocation): void {
    core.warning(line, at ? { file: at.file, startLine: at.line } : undefined);
  }

  progress(label: string, total: number | undefined): Progress {
    // A job log is not a terminal: a line every 10 % or 10 s.
    return startProgress(label, total, { tty: false, write: (text) => core.info(text.trimEnd()) });
  }

  provisioned(installation: Installation): void {
    // As every setup-* action does: later steps of the job find this Blender on PATH.
    core.addPath(path.dirname(installation.executable));
    core.setOutput('blender-path', installation.executable);
    core.setOutput('cache-hit', installation.cacheHit);
    if (installation.version) core.setOutput('blender-version', installation.version);
  }

  versions(versions: string[]): void {
    core.setOutput('versions', JSON.stringify(versions));
    core.info(`Blender versions for the matrix: ${JSON.stringify(versions)}`);
  }

  starting(executable: string, addonModule: string): void {
    this.openGroup(`Start Blender (${executable}) with addon ${addonModule}`);
  }

  blenderOutput(line: string): void {
    this.valve.offer(this.inGroup ? line : `[blender] ${line}`, (text) => core.info(text));
  }

  processOutput(source: string, line: string): void {
    this.valve.offer(`[${source}] ${line}`, (text) => core.info(text));
  }

  ready(info: ReadyInfo, elapsedMs: number, loadedFrom: string): void {
    this.valve.flush((text) => core.info(text));
    this.closeGroup();
    core.info(
      `Blender ${info.blenderVersion} (Python ${info.pythonVersion}) ready in ${formatDuration(elapsedMs)}; ${info.addonModule} loaded from ${loadedFrom}.`,
    );
  }

  step(result: StepResult): void {
    core.info(stepLine(result));
    for (const line of failureLines(result)) core.info(`    ${line}`);
  }

  stopping(): void {
    this.openGroup('Stop Blender');
  }

  stopped(teardown: TeardownReport): void {
    this.valve.flush((text) => core.info(text));
    this.closeGroup();
    core.info(teardownLine(teardown));
  }

  async finished(outcome: RunOutcome): Promise<void> {
    this.closeGroup();
    const { passed, failed } = counts(outcome.results);
    core.setOutput('passed', passed);
    core.setOutput('failed', failed);
    core.setOutput('log-path', outcome.logPath ?? '');
    core.setOutput('skipped', outcome.skipped !== undefined);
    core.setOutput('deprecations', outcome.deprecations.length);
    if (outcome.coverage) core.setOutput('coverage', outcome.coverage.percent.toFixed(2));
    core.setOutput('addon-errors', outcome.health?.errors.length ?? 0);
    core.setOutput('leftovers', outcome.health?.leftovers.length ?? 0);
    core.setOutput('peak-memory', outcome.health?.memory?.peakBytes ?? '');
    if (outcome.blenderVersion) core.setOutput('blender-version', outcome.blenderVersion);
    const snapshotResults = snapshotResultsFolder(outcome.snapshots);
    if (snapshotResults) core.setOutput('snapshot-results', snapshotResults);
    if (outcome.ui) core.setOutput('ui-errors', outcome.ui.errors.length);
    if (outcome.ui?.resultsDir) core.setOutput('ui-results', outcome.ui.resultsDir);
    if (outcome.details) core.info(outcome.details);
    const drawn = uiSection(outcome.ui);
    for (const section of [...healthSections(outcome.health), ...(drawn ? [drawn] : [])])
      [section.heading, ...section.lines.map((l) => `  ${l}`)].forEach((line) => core.info(line));
    if (outcome.coverage) {
      core.info(coverageLine(outcome.coverage));
      for (const line of coverageTableText(outcome.coverage)) core.info(`  ${line}`);
    }
    annotateOutcome(outcome.results, outcome.deprecations, outcome.health, outcome.ui);
    await summaryOrWarning(() => writeJobSummary(outcome));
  }

  htmlReport(folder: string): void {
    core.setOutput('html-report', folder);
    core.info(`HTML report: ${folder}/index.html (upload the folder, output html-report, with actions/upload-artifact)`);
  }

  async matrix(report: MatrixReport, failure: string | undefined): Promise<void> {
    core.setOutput('failing-versions', JSON.stringify(report.failingColumns));
    core.setOutput('passed', report.passed);
    core.setOutput('failed', report.failed);
    core.info(matrixText(report));
    if (failure) core.error(failure);
    await summaryOrWarning(() => writeMatrixSummary(report));
  }

  private openGroup(title: string): void {
    this.closeGroup();
    core.startGroup(title);
    this.inGroup = true;
  }

  private closeGroup(): void {
    if (this.inGroup) core.endGroup();
    this.inGroup = false;
  }
}

/** The job summary is a report like the others: a file the runner gives, that may not be writable. */
async function summaryOrWarning(write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    core.warning(`The job summary could not be written (${errorMessage(error)}); the job log and the other reports have it all.`);
  }
}
