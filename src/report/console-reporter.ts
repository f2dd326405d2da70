import path from 'node:path';
import { styleText } from 'node:util';
import type { AddonHealth } from '../addon-health/health.js';
import type { Installation } from '../blender/installation.js';
import { formatDuration } from '../duration.js';
import type { StepResult } from '../probes/results.js';
import type { ReadyInfo } from '../session/driver-protocol.js';
import type { TeardownReport } from '../session/session.js';
import { type HealthSection, counts, countsLine, deprecationLines, failureLines, healthSections, stepLine, uiSection } from './format.js';
import { teardownLine } from './teardown-sentences.js';
import type { RunOutcome } from './outcome.js';
import { coverageLine, coverageTableText } from '../coverage/table.js';
import { type MatrixReport, matrixText } from './matrix.js';
import { OutputValve } from './output-valve.js';
import { NO_PROGRESS, type Progress } from '../progress.js';
import { startProgress } from './progress.js';
import type { Reporter } from './reporter.js';

type Style = Parameters<typeof styleText>[0];

/** A plain terminal: colors only when stdout is a TTY (styleText checks, and NO_COLOR). */
export class ConsoleReporter implements Reporter {
  private readonly valve: OutputValve;

  constructor(
    private readonly out: NodeJS.WritableStream = process.stdout,
    /** --quiet: no progress lines */
    private readonly quiet = false,
  ) {
    this.valve = new OutputValve(out as NodeJS.WriteStream);
  }

  progress(label: string, total: number | undefined): Progress {
    if (this.quiet) return NO_PROGRESS;
    const tty = (this.out as NodeJS.WriteStream).isTTY === true;
    return startProgress(label, total, { tty, write: (text) => this.out.write(text) });
  }

  info(line: string): void {
    this.line(line, 'dim');
  }

  warning(line: string): void {
    this.line(`Warning: ${line}`, 'yellow');
  }

  provisioned(installation: Installation): void {
    if (installation.cacheHit) this.line(`Blender ${installation.version} from the cache: ${installation.executable}`, 'dim');
  }

  versions(versions: string[]): void {
    this.out.write(`${JSON.stringify(versions)}\n`); // plain JSON on stdout: pipe it to jq or a matrix
  }

  starting(executable: string, addonModule: string): void {
    this.line(`Starting ${executable} with addon ${addonModule}`, 'bold');
  }

  blenderOutput(line: string): void {
    this.valve.offer(`  blender │ ${line}`, (text) => this.line(text, 'dim'));
  }

  processOutput(source: string, line: string): void {
    this.valve.offer(`  ${source} │ ${line}`, (text) => this.line(text, 'dim'));
  }

  ready(info: ReadyInfo, elapsedMs: number, loadedFrom: string): void {
    this.valve.flush((text) => this.line(text, 'dim'));
    this.line(
      `Blender ${info.blenderVersion} (Python ${info.pythonVersion}) ready in ${formatDuration(elapsedMs)}; ${info.addonModule} loaded from ${loadedFrom}`,
      'bold',
    );
  }

  step(result: StepResult): void {
    this.line(stepLine(result), result.passed ? 'green' : 'red');
    for (const line of failureLines(result)) this.line(`    ${line}`);
  }

  stopping(): void {
    this.line('Stopping Blender (SIGTERM)', 'bold');
  }

  stopped(teardown: TeardownReport): void {
    this.valve.flush((text) => this.line(text, 'dim'));
    this.line(teardownLine(teardown), teardown.kind === 'graceful' && teardown.leftovers.length === 0 ? 'green' : 'red');
  }

  async finished(outcome: RunOutcome): Promise<void> {
    const { failed } = counts(outcome.results);
    if (outcome.details) this.line(outcome.details);
    if (outcome.deprecations.length > 0) {
      this.line(`Deprecations (${outcome.deprecations.length}):`, 'yellow');
      for (const line of deprecationLines(outcome.deprecations)) this.line(`  ${line}`, 'yellow');
    }
    this.health(outcome.health, outcome.ui);
    if (outcome.coverage) {
      this.line(coverageLine(outcome.coverage), 'bold');
      for (const line of coverageTableText(outcome.coverage)) this.line(`  ${line}`);
    }
    if (outcome.logPath) this.line(`Blender log: ${outcome.logPath}`, 'dim');
    if (outcome.skipped) {
      this.line(`Skipped: ${outcome.skipped}`, 'yellow');
      return;
    }
    this.line(countsLine(outcome), failed === 0 && outcome.ok ? 'green' : 'red');
    if (!outcome.ok && outcome.failure) this.line(`Failed: ${outcome.failure}`, 'red');
  }

  /** The add-on's own health: red where it fails the run, yellow where it only warns. */
  private health(health: AddonHealth | undefined, ui: RunOutcome['ui']): void {
    const styles: Record<HealthSection['mode'], Style> = { fail: 'red', warn: 'yellow', off: 'yellow', info: 'dim' };
    const drawn = uiSection(ui);
    for (const section of [...healthSections(health), ...(drawn ? [drawn] : [])]) {
      this.line(section.heading, styles[section.mode]);
      for (const line of section.lines) this.line(`  ${line}`);
    }
  }

  htmlReport(folder: string): void {
    this.info(`HTML report: ${path.join(folder, 'index.html')} (npx blender-bg-action show-report ${folder} serves it)`);
  }

  async matrix(report: MatrixReport, failure: string | undefined): Promise<void> {
    this.line(matrixText(report));
    if (failure) this.line(`Failed: ${failure}`, 'red');
  }

  private line(text: string, style?: Style): void {
    const stream = this.out as NodeJS.WriteStream;
    this.out.write(`${style ? styleText(style, text, { stream }) : text}\n`);
  }
}
