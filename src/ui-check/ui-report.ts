import type { UserPaths } from '../addon/source-map.js';
import { formatDuration } from '../duration.js';
import type { UiEvent, UiTargetRecord } from './ui-events.js';

/** One thing the add-on draws, as the run's pass (not a reload cycle's) found it. */
interface UiTargetResult {
  id: string;
  kind: UiTargetRecord['kind'];
  /** "Broken sidebar (UIBROKEN_PT_sidebar)", "add_menu in VIEW3D_MT_add" */
  label: string;
  /** the user's file and the class's (or function's) line */
  file: string | undefined;
  line: number | undefined;
  drawn: boolean;
  /** why it was not drawn ("its poll() was false") */
  reason: string | undefined;
  /** where it was drawn, and the context its poll() saw */
  tried: string | undefined;
  /** its picture under ui-results (the draw it was reached by) */
  image: string | undefined;
}

/** Something in the add-on's draw code that went wrong, once however often it happened. */
export interface UiDrawError {
  target: string;
  label: string;
  /** raised: an exception; printed: Blender's "property not found" and its kin; hang; crash */
  kind: 'raised' | 'printed' | 'hang' | 'crash';
  message: string;
  file: string | undefined;
  line: number | undefined;
  traceback: string | undefined;
  /** the passes it happened in: 0 is the run's, n is reload-check's cycle n */
  cycles: number[];
}

/** Why the pass drew nothing (or stopped), and whether that fails the run. */
export interface UiPassProblem {
  /** window: no display, no libGL, old OpenGL; addon: it did not enable with a window; setup: ui-setup raised */
  kind: 'window' | 'addon' | 'setup' | 'not-run';
  message: string;
}

export interface UiReport {
  failOnErrors: boolean;
  failOnNoWindow: boolean;
  blenderVersion: string | undefined;
  /** "llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5 (Core Profile) Mesa 22.3.6" */
  gl: string | undefined;
  targets: UiTargetResult[];
  errors: UiDrawError[];
  problem: UiPassProblem | undefined;
  /** where the pictures are (set when at least one was written) */
  resultsDir: string | undefined;
  reloadCycles: number;
  /** from the go to the last draw: what the check costs beyond the session */
  passMs: number | undefined;
  /** the UI check's Blender's log (undefined: none was started) */
  logPath: string | undefined;
}

export interface UiReportContext {
  paths: UserPaths;
  failOnErrors: boolean;
  failOnNoWindow: boolean;
  reloadCycles: number;
  logPath: string;
  /** the picture of each draw (by its id), converted and cropped */
  images: Map<string, string>;
  resultsDir: string | undefined;
  /** a draw that did not return in time: its "drawing" event, the limit */
  hang?: { draw: string; targets: string[]; limitMs: number };
  /** Blender ended during a draw (or before the pass was done): how */
  died?: { how: string; draw: string | undefined; targets: string[]; crashReport?: string };
  /** the pass could not start: no display, the window did not open, the add-on never became ready */
  problem?: UiPassProblem;
  passMs?: number;
}

/** The UI check's report from its events file and what the run saw of that Blender. */
export function uiReportOf(events: UiEvent[], context: UiReportContext): UiReport {
  const { paths } = context;
  const window = events.find((e): e is Extract<UiEvent, { event: 'window' }> => e.event === 'window');
  const records = events.filter((e): e is Extract<UiEvent, { event: 'target' }> => e.event === 'target' && e.cycle === 0);
  // What there was to draw (written before drawing): a pass that hung or crashed wrote no target records.
  const inventory = events.find((e): e is Extract<UiEvent, { event: 'inventory' }> => e.event === 'inventory' && e.cycle === 0)?.targets ?? [];
  const labels = new Map(inventory.map((t) => [t.id, labelOf(t)]));
  const drawOf = new Map<string, string>();
  for (const e of events) if (e.event === 'drawn' && e.cycle === 0) for (const t of e.targets) drawOf.set(t, e.draw);
  const stoppedWhy = context.hang
    ? 'not reached: Blender was stopped after a draw hung'
    : context.died
      ? `not reached: Blender ${context.died.how}`
      : 'not reached';
  // The draw Blender was in when it hung or died ran the add-on's code: drawn, with that error.
  const ran = new Set([...drawOf.keys(), ...((context.hang ?? context.died)?.targets ?? [])]);
  const results =
    records.length > 0
      ? records.map((r) => ({ target: r.target, drawn: r.drawn, reason: r.reason, tried: r.tried }))
      : inventory.map((target) => ({ target, drawn: ran.has(target.id), reason: ran.has(target.id) ? null : stoppedWhy, tried: null }));
  const targets = results.map((r) => ({
    id: r.target.id,
    kind: r.target.kind,
    label: labelOf(r.target),
    file: r.target.file ? paths.file(r.target.file) : undefined,
    line: r.target.line ?? undefined,
    drawn: r.drawn,
    reason: r.reason ?? undefined,
    tried: r.tried ?? undefined,
    image: context.images.get(drawOf.get(r.target.id) ?? r.target.id),
  }));
  const errors = new Map<string, UiDrawError>();
  for (const e of events) {
    if (e.event !== 'error') continue;
    const file = e.file ? paths.file(e.file) : undefined;
    const message = paths.text(e.message);
    const key = JSON.stringify([e.target, e.kind, message, file, e.line]);
    const known = errors.get(key);
    if (known) {
      if (!known.cycles.includes(e.cycle)) known.cycles.push(e.cycle);
      continue;
    }
    errors.set(key, {
      target: e.target,
      label: labels.get(e.target) ?? e.target,
      kind: e.kind,
      message,
      file,
      line: e.line ?? undefined,
      traceback: e.traceback ? paths.text(e.traceback) : undefined,
      cycles: [e.cycle],
    });
  }
  const placeOf = (id: string) => targets.find((t) => t.id === id);
  const stopped = context.hang ?? context.died;
  if (stopped) {
    const first = stopped.targets[0] ?? stopped.draw ?? '?';
    const place = placeOf(first);
    const crash = context.died?.crashReport ? ` (its crash report: ${context.died.crashReport})` : '';
    const message = context.hang
      ? `drawing it did not return within ${formatDuration(context.hang.limitMs)} (probe-timeout); Blender was stopped`
      : `Blender ${context.died!.how} while drawing it${crash}`;
    errors.set(`stopped:${first}`, {
      target: first,
      label: labels.get(first) ?? first,
      kind: context.hang ? 'hang' : 'crash',
      message,
      file: place?.file,
      line: place?.line,
      traceback: undefined,
      cycles: [cycleOfLastDraw(events)],
    });
  }
  const problem = context.problem ?? passProblem(events, paths, context.died, context.logPath);
  return {
    failOnErrors: context.failOnErrors,
    failOnNoWindow: context.failOnNoWindow,
    blenderVersion: window?.blender,
    gl: window?.gl ? `${window.gl.renderer}, OpenGL ${window.gl.version}` : undefined,
    targets,
    errors: [...errors.values()],
    problem,
    resultsDir: context.images.size > 0 ? context.resultsDir : undefined,
    reloadCycles: context.reloadCycles,
    passMs: context.passMs,
    logPath: context.logPath,
  };
}

function cycleOfLastDraw(events: UiEvent[]): number {
  const last = events.filter((e) => e.event === 'drawing').at(-1);
  return last && last.event === 'drawing' ? last.cycle : 0;
}

/** The add-on registered nothing that draws: no Blender with a window is started. */
export function nothingToDraw(plan: { failOnErrors: boolean; failOnNoWindow: boolean }, reloadCycles: number): UiReport {
  return {
    failOnErrors: plan.failOnErrors,
    failOnNoWindow: plan.failOnNoWindow,
    blenderVersion: undefined,
    gl: undefined,
    targets: [],
    errors: [],
    problem: undefined,
    resultsDir: undefined,
    reloadCycles,
    passMs: undefined,
    logPath: undefined,
  };
}

/** A problem the pass itself said, or a Blender that ended before it opened its window. */
function passProblem(events: UiEvent[], paths: UserPaths, died: UiReportContext['died'], logPath: string): UiPassProblem | undefined {
  const said = events.find((e): e is Extract<UiEvent, { event: 'problem' }> => e.event === 'problem');
  // The driver's "(traceback above)" is in that Blender's log, which the user has not seen: named instead.
  const message =
    said &&
    `${paths
      .text(said.message)
      .replace(/ \(traceback above\)\.?$/, '')
      .replace(/\.$/, '')} (the traceback is in the UI check's log: ${logPath})`;
  if (said) return { kind: /ui-setup/.test(said.message) ? 'setup' : 'addon', message: message! };
  if (died && !events.some((e) => e.event === 'window')) return { kind: 'window', message: `Blender ${died.how} before its window opened` };
  return undefined;
}

function labelOf(target: UiTargetRecord): string {
  if (target.kind === 'appended') return target.label;
  return target.label && target.label !== target.id ? `${target.label} (${target.id})` : target.id;
}

/** "ui_broken/__init__.py:13", or the label alone where the line is not known. */
function placed(error: Pick<UiDrawError, 'file' | 'line'>): string {
  return error.file ? `${error.file}${error.line ? `:${error.line}` : ''}` : '';
}

/** One line: where, what was drawn, what went wrong, in which passes. */
export function describeUiError(error: UiDrawError, reloadCycles = 0): string {
  const where = placed(error);
  const cycles = error.cycles.includes(0) || reloadCycles === 0 ? '' : ` (reload ${error.cycles.map((c) => `${c}/${reloadCycles}`).join(', ')} only)`;
  return `${where ? `${where}: ` : ''}${error.label}: ${error.message}${cycles}`;
}

/** Whether the report fails the run, one sentence per reason. */
export function uiProblems(report: UiReport | undefined): string[] {
  if (!report) return [];
  const problems: string[] = [];
  if (report.failOnErrors && report.errors.length > 0) {
    const count = report.errors.length;
    const first = describeUiError(report.errors[0]!, report.reloadCycles).replace(/\.$/, '');
    problems.push(
      `The add-on's UI failed to draw: ${count === 1 ? 'one error' : `${count} errors`}${report.blenderVersion ? ` on Blender ${report.blenderVersion}` : ''}; ${count === 1 ? '' : 'first: '}${first}.`,
    );
  }
  const problem = report.problem;
  if (problem && (problem.kind === 'window' ? report.failOnNoWindow : problem.kind !== 'not-run' && report.failOnErrors)) {
    problems.push(`The add-on's UI was not drawn: ${problem.message.replace(/\.$/, '')}.`);
  }
  return problems;
}

/** "UI: 6 drawn, 1 not drawn, 5 draw errors (Blender 3.4.1; llvmpipe …)" */
export function uiCountsLine(report: UiReport): string {
  if (report.targets.length === 0 && !report.problem && report.logPath === undefined)
    return "The add-on's UI: nothing to draw (no panel, menu, header, list or preferences registered, nothing appended to Blender's menus)";
  const drawn = report.targets.filter((t) => t.drawn).length;
  const notDrawn = report.targets.length - drawn;
  const parts = [
    `${drawn} drawn`,
    ...(notDrawn > 0 ? [`${notDrawn} not drawn`] : []),
    `${report.errors.length} draw error${report.errors.length === 1 ? '' : 's'}`,
  ];
  const timing = report.passMs !== undefined ? `, ${formatDuration(report.passMs)}` : '';
  return `The add-on's UI: ${parts.join(', ')}${report.reloadCycles > 0 ? ` (and drawn again in ${report.reloadCycles} reload cycle${report.reloadCycles > 1 ? 's' : ''})` : ''}${timing}`;
}

/** The report's lines for a terminal or a job log: errors with their tracebacks, what was not drawn and why, the pictures. */
export function uiLines(report: UiReport): string[] {
  const lines: string[] = [];
  if (report.problem) lines.push(`not drawn: ${report.problem.message}`);
  for (const error of report.errors) {
    lines.push(`✗ ${describeUiError(error, report.reloadCycles)}`);
    if (error.traceback)
      lines.push(
        ...error.traceback
          .trimEnd()
          .split('\n')
          .map((l) => `    ${l}`),
      );
  }
  for (const target of report.targets.filter((t) => !t.drawn)) {
    lines.push(`○ ${target.label} not drawn: ${target.reason ?? 'not reached'}${target.tried ? ` (tried: ${target.tried})` : ''}`);
  }
  if (report.resultsDir) lines.push(`pictures of each panel and menu: ${report.resultsDir}`);
  if (report.gl) lines.push(`drawn by ${report.gl}`);
  return lines;
}
