import { compareVersions, parseVersion } from '../blender/version.js';
import { formatBytes } from '../bytes.js';
import { describeDeprecation } from '../session/deprecations.js';
import { type ResultFile } from '../result-file/format.js';

/** One cell of the table: how a test, step or session did on one Blender. */
export interface MatrixCell {
  outcome: 'passed' | 'failed' | 'skipped' | 'not-run';
  message: string | undefined;
  /** a figure shown instead of a mark (Blender's peak memory) */
  text?: string;
}

/** A test, a probe step, or a Blender session, across the versions. */
export interface MatrixRow {
  kind: 'test' | 'probe step' | 'session' | 'ui';
  file: string;
  id: string;
  /** by column label; absent where the row did not exist on that Blender */
  cells: Map<string, MatrixCell>;
  /** not the same on every Blender (absent counts as different) */
  differs: boolean;
  /** the first column (oldest Blender) it fails on */
  firstFailing: string | undefined;
}

export interface MatrixReport {
  /** column labels, oldest Blender first: the version ("5.2.2"), with the OS when two files share one */
  columns: string[];
  /** rows that differ between versions first, then the rest, each group in first-seen order */
  rows: MatrixRow[];
  /** each column's deprecations, one line each */
  deprecations: Map<string, string[]>;
  /** columns where a test, step or the session failed */
  failingColumns: string[];
  passed: number;
  failed: number;
  /** lines after the table: each sharded Blender's shards and their balance */
  notes: string[];
}

const SESSION = 'Blender session';

/** The table over the matrix's result files (pure: mode: report renders it). */
export function buildMatrix(files: ResultFile[], notes: string[] = []): MatrixReport {
  const labelled = labelColumns(files);
  const rows = new Map<string, MatrixRow>();
  const row = (kind: MatrixRow['kind'], file: string, id: string) => {
    const key = JSON.stringify([kind, file, id]);
    if (!rows.has(key)) rows.set(key, { kind, file, id, cells: new Map(), differs: false, firstFailing: undefined });
    return rows.get(key)!;
  };
  let passed = 0;
  let failed = 0;
  for (const { label, result } of labelled) {
    row('session', '', SESSION).cells.set(label, sessionCell(result));
    for (const [id, cell] of healthCells(result)) row('session', '', id).cells.set(label, cell);
    for (const [kind, id, cell] of uiCells(result)) row(kind, '', id).cells.set(label, cell);
    for (const entry of result.results) {
      const kind = entry.kind === 'test' || (entry.kind === 'not-run' && entry.id.includes('::')) ? 'test' : 'probe step';
      row(kind, entry.file, entry.id).cells.set(label, { outcome: entry.outcome, message: entry.message });
      if (entry.outcome === 'passed') passed++;
      if (entry.outcome === 'failed') failed++;
    }
  }
  const columns = labelled.map((c) => c.label);
  for (const r of rows.values()) {
    const outcomes = columns.map((c) => r.cells.get(c)?.outcome ?? 'absent');
    r.differs = new Set(outcomes).size > 1;
    r.firstFailing = columns.find((c) => r.cells.get(c)?.outcome === 'failed');
  }
  const all = [...rows.values()];
  return {
    columns,
    rows: [...all.filter((r) => r.differs), ...all.filter((r) => !r.differs)],
    deprecations: new Map(
      labelled.map(({ label, result }) => [label, result.deprecations.map((d) => describeDeprecation({ ...d, file: d.file, line: d.line }))]),
    ),
    failingColumns: columns.filter((c) => all.some((r) => r.cells.get(c)?.outcome === 'failed')),
    passed,
    failed,
    notes,
  };
}

/** The session as a row: it became ready, was not cancelled, and stopped gracefully with nothing left behind. */
function sessionCell(result: ResultFile): MatrixCell {
  const { verdict, session } = result;
  if (verdict.skipped) return { outcome: 'skipped', message: verdict.skipped };
  if (!session.ready) return { outcome: 'failed', message: verdict.failure ?? 'Blender did not become ready' };
  if (verdict.cancelled) return { outcome: 'failed', message: 'the run was cancelled' };
  if (session.teardown !== 'graceful' || session.leftovers > 0)
    return { outcome: 'failed', message: session.teardownSentence ?? 'Blender did not stop cleanly' };
  return { outcome: 'passed', message: session.teardownSentence };
}

/**
 * The add-on's health on this Blender, as session rows: its background errors and what
 * unregister() left (failed where the run's inputs made them fail it), the reload check, and
 * Blender's peak memory as a figure. Files written before these were checked have none.
 */
function healthCells(result: ResultFile): [string, MatrixCell][] {
  const modes = result.health;
  if (!modes) return [];
  const judged = (count: number, mode: string, first: string | undefined, noun: string): MatrixCell => {
    if (count === 0) return { outcome: 'passed', message: undefined };
    const message = `${count} ${noun}${count > 1 ? 's' : ''}${mode === 'fail' ? '' : ` (${mode})`}; first: ${first}`;
    return { outcome: mode === 'fail' ? 'failed' : 'passed', message };
  };
  const errors = result.addonErrors ?? [];
  const leftovers = result.leftovers ?? [];
  const cells: [string, MatrixCell][] = [
    [
      "The add-on's code raises nothing in the background",
      judged(
        errors.length,
        modes.addonErrors,
        errors[0] && `${errors[0].file ?? ''}${errors[0].line ? `:${errors[0].line}` : ''} ${errors[0].where}: ${errors[0].message}`,
        'error',
      ),
    ],
  ];
  if (modes.unregisterCheck !== 'off') {
    cells.push([
      'unregister() leaves Blender as it found it',
      judged(leftovers.length, modes.unregisterCheck, leftovers[0] && `${leftovers[0].phase}: ${leftovers[0].name}`, 'leftover'),
    ]);
  }
  const reloads = result.reloads ?? [];
  if (reloads.length > 0) {
    const failed = reloads.find((c) => c.problem);
    cells.push([
      `Reload check (${reloads[0]!.of} cycles)`,
      failed ? { outcome: 'failed', message: `reload ${failed.cycle}/${failed.of}: ${failed.problem}` } : { outcome: 'passed', message: undefined },
    ]);
  }
  const peak = result.memory?.peakBytes;
  if (peak !== undefined && peak !== null) cells.push(["Blender's peak memory", { outcome: 'passed', message: undefined, text: formatBytes(peak) }]);
  return cells;
}

/**
 * The UI check on this Blender: one row for the whole ("The add-on's UI": "3 draw errors"),
 * one per thing it draws (drawn, failed, or not drawn and why). Files without it have none.
 */
function uiCells(result: ResultFile): ['session' | 'ui', string, MatrixCell][] {
  const ui = result.ui;
  if (!ui) return [];
  const count = ui.errors.length;
  const failing = ui.check === 'fail' && count > 0;
  const first = ui.errors[0] && `${ui.errors[0].file ?? ''}${ui.errors[0].line ? `:${ui.errors[0].line}` : ''} ${ui.errors[0].label}: ${ui.errors[0].message}`;
  const whole: MatrixCell = ui.problem
    ? { outcome: ui.problem.fails ? 'failed' : 'not-run', message: ui.problem.message, text: 'not drawn' }
    : count > 0
      ? {
          outcome: failing ? 'failed' : 'passed',
          message: `${count} draw error${count > 1 ? 's' : ''}${failing ? '' : ' (warn)'}; first: ${first}`,
          text: `${count} draw error${count > 1 ? 's' : ''}`,
        }
      : { outcome: 'passed', message: `${ui.drawn} drawn, ${ui.notDrawn} not drawn` };
  const cells: ['session' | 'ui', string, MatrixCell][] = [['session', UI_ROW, whole]];
  for (const target of ui.targets) {
    const errors = ui.errors.filter((e) => e.target === target.id);
    const cell: MatrixCell =
      errors.length > 0
        ? {
            outcome: ui.check === 'fail' ? 'failed' : 'passed',
            message: errors.map((e) => `${e.file ?? ''}${e.line ? `:${e.line}` : ''} ${e.message}`).join('; '),
          }
        : target.drawn
          ? { outcome: 'passed', message: undefined }
          : { outcome: 'not-run', message: `not drawn: ${target.reason ?? 'not reached'}` };
    cells.push(['ui', target.label, cell]);
  }
  return cells;
}

const UI_ROW = "The add-on's UI";

/** Columns oldest first; a version two files share gets its OS (and then a number). */
/** The result files as the table's columns: oldest Blender first, each with its label. */
export function labelColumns(files: ResultFile[]): { label: string; result: ResultFile }[] {
  const version = (r: ResultFile) => r.blender.version ?? 'unknown';
  const sorted = [...files].sort((a, b) => {
    const va = parseVersion(version(a).split(/[-\s]/)[0]!);
    const vb = parseVersion(version(b).split(/[-\s]/)[0]!);
    return va && vb ? compareVersions(va, vb) : version(a).localeCompare(version(b));
  });
  const seen = new Map<string, number>();
  return sorted.map((result) => {
    const shared = sorted.filter((r) => version(r) === version(result)).length > 1;
    let label = shared ? `${version(result)} (${result.os.platform} ${result.os.arch})` : version(result);
    const times = (seen.get(label) ?? 0) + 1;
    seen.set(label, times);
    if (times > 1) label = `${label} #${times}`;
    return { label, result };
  });
}

const MARK: Record<MatrixCell['outcome'], string> = { passed: '✅', failed: '❌', skipped: '⏭️', 'not-run': '⏭️' };

export function cellMark(cell: MatrixCell | undefined): string {
  return cell ? (cell.text ?? MARK[cell.outcome]) : '';
}

/** "test_io.py::Export::test_gltf", "probes/scene.json › read scene", "Blender session". */
export function rowName(row: MatrixRow): string {
  if (row.kind === 'session') return row.id;
  if (row.kind === 'ui') return `UI › ${row.id}`;
  if (row.kind === 'test') return row.id;
  return `${row.file} › ${row.id}`;
}

/** The table as terminal text: a line per row, the marks in columns, then the deprecations. */
export function matrixText(report: MatrixReport): string {
  const names = report.rows.map(rowName);
  const width = Math.min(Math.max(4, ...names.map((n) => n.length)), 70);
  const fit = (text: string) => (text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width));
  // A column is as wide as its label, or its widest figure ("243.5 MiB").
  const widths = report.columns.map((c) => Math.max(c.length, ...report.rows.map((r) => r.cells.get(c)?.text?.length ?? 0)));
  const lines = [
    `${fit('')}  ${report.columns
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()}`,
  ];
  for (const [index, row] of report.rows.entries()) {
    // The marks are emoji, two columns wide on a terminal; "·" (not there) is one.
    const cells = report.columns.map((c, i) => {
      const cell = row.cells.get(c);
      if (cell?.text) return cell.text.padEnd(widths[i]!);
      const mark = cellMark(cell);
      return mark ? mark + ' '.repeat(Math.max(0, widths[i]! - 2)) : '·'.padEnd(widths[i]!);
    });
    const note = row.differs && row.firstFailing ? `  fails from ${row.firstFailing}` : row.differs ? '  differs' : '';
    lines.push(`${fit(names[index]!)}  ${cells.join('  ')}${note}`);
  }
  const deprecated = report.columns.filter((c) => (report.deprecations.get(c) ?? []).length > 0);
  if (deprecated.length > 0) {
    lines.push('', 'Deprecations:');
    for (const column of deprecated) {
      lines.push(`  Blender ${column}:`);
      for (const line of report.deprecations.get(column)!) lines.push(`    ${line}`);
    }
  }
  if (report.notes.length > 0) lines.push('', ...report.notes);
  lines.push(
    '',
    `${report.passed} passed, ${report.failed} failed over ${report.columns.length} Blender${report.columns.length === 1 ? '' : 's'}` +
      (report.failingColumns.length > 0 ? `; failing on ${report.failingColumns.join(', ')}` : ''),
  );
  return lines.join('\n');
}
