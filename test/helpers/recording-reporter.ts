import type { Installation } from '../../src/blender/installation.js';
import type { SourceLocation } from '../../src/errors.js';
import type { StepResult } from '../../src/probes/results.js';
import type { MatrixReport } from '../../src/report/matrix.js';
import type { RunOutcome } from '../../src/report/outcome.js';
import type { Progress } from '../../src/progress.js';
import { startProgress } from '../../src/report/progress.js';
import type { Reporter } from '../../src/report/reporter.js';
import type { ReadyInfo } from '../../src/session/driver-protocol.js';
import type { TeardownReport } from '../../src/session/session.js';

/** A Reporter that remembers what it was told, for assertions. */
export class RecordingReporter implements Reporter {
  readonly events: string[] = [];
  readonly output: string[] = [];
  readonly steps: StepResult[] = [];
  readyInfo: ReadyInfo | undefined;
  teardown: TeardownReport | undefined;
  onReady: (() => void) | undefined;

  readonly infoLines: string[] = [];
  installation: Installation | undefined;

  info(line: string): void {
    this.infoLines.push(line);
  }
  readonly warnings: string[] = [];
  readonly warningsAt: (SourceLocation | undefined)[] = [];
  warning(line: string, at?: SourceLocation): void {
    this.warnings.push(line);
    this.warningsAt.push(at);
  }
  readonly progressLines: string[] = [];
  progress(label: string, total: number | undefined): Progress {
    return startProgress(label, total, { tty: false, write: (text) => this.progressLines.push(text.trimEnd()) });
  }
  provisioned(installation: Installation): void {
    this.installation = installation;
  }
  resolvedVersions: string[] | undefined;
  versions(versions: string[]): void {
    this.resolvedVersions = versions;
  }
  onStarting: (() => void) | undefined;
  starting(): void {
    this.events.push('starting');
    this.onStarting?.();
  }
  blenderOutput(line: string): void {
    this.output.push(line);
  }
  readonly processLines: string[] = [];
  processOutput(source: string, line: string): void {
    this.processLines.push(`${source}: ${line}`);
  }
  loadedFrom: string | undefined;
  ready(info: ReadyInfo, _elapsedMs: number, loadedFrom: string): void {
    this.events.push('ready');
    this.readyInfo = info;
    this.loadedFrom = loadedFrom;
    this.onReady?.();
  }
  step(result: StepResult): void {
    this.events.push('step');
    this.steps.push(result);
  }
  stopping(): void {
    this.events.push('stopping');
  }
  stopped(teardown: TeardownReport): void {
    this.events.push('stopped');
    this.teardown = teardown;
  }
  async finished(_outcome: RunOutcome): Promise<void> {
    this.events.push('finished');
  }
  htmlFolder: string | undefined;
  htmlReport(folder: string): void {
    this.htmlFolder = folder;
  }
  matrixReport: MatrixReport | undefined;
  async matrix(report: MatrixReport): Promise<void> {
    this.events.push('matrix');
    this.matrixReport = report;
  }
}
