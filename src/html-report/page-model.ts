import { formatBytes } from '../bytes.js';
import { formatPercent } from '../coverage/model.js';
import { lineRanges } from '../coverage/table.js';
import { formatDuration } from '../duration.js';
import { type MatrixReport, rowName } from '../report/matrix.js';
import type { ResultFile } from '../result-file/format.js';

/** What the HTML page shows, as plain data: the page's script renders it (as text, never as HTML). */
export interface PageModel {
  title: string;
  generatedAt: string;
  /** one per result file: a run, or a matrix column */
  runs: RunModel[];
  /** several runs (mode: report): Blender versions as columns, a row per test, step and session finding */
  matrix: MatrixModel | undefined;
}

interface RunModel {
  label: string;
  addon: string;
  blender: string;
  ok: boolean;
  /** the first problem, as the run said it */
  failure: string | undefined;
  skipped: string | undefined;
  finishedAt: string;
  /** "ready in 1.2s · tests 3.4s · teardown 0.2s" */
  timings: string;
  logPath: string | undefined;
  teardown: string | undefined;
  counts: Record<'passed' | 'failed' | 'skipped' | 'not-run', number>;
  entries: EntryModel[];
  health: { title: string; lines: { text: string; at: string | undefined; details: string | undefined }[] }[];
  deprecations: { text: string; at: string | undefined; count: number }[];
  snapshots: SnapshotModel[];
  ui: UiModel | undefined;
  /** the add-on's files, lowest coverage first, with the lines not run as ranges */
  coverage: { percent: string; files: { file: string; percent: string; missing: string }[] } | undefined;
}

interface EntryModel {
  id: string;
  kind: string;
  at: string;
  outcome: 'passed' | 'failed' | 'skipped' | 'not-run';
  time: string;
  message: string | undefined;
  details: string | undefined;
}

interface SnapshotModel {
  at: string;
  image: string;
  verdict: string;
  /** pictures, as paths relative to the page (undefined: not written or not found) */
  actual: string | undefined;
  expected: string | undefined;
  diff: string | undefined;
}

interface UiModel {
  summary: string;
  errors: { text: string; at: string | undefined }[];
  targets: { label: string; kind: string; drawn: boolean; reason: string | undefined; at: string | undefined; image: string | undefined }[];
}

interface MatrixModel {
  columns: string[];
  rows: {
    kind: string;
    name: string;
    cells: ({ outcome: string; text: string | undefined; message: string | undefined } | null)[];
    firstFailing: string | undefined;
  }[];
}

/** Where a picture named by a result file is, as the page links it (the writer copies it beside the page). */
export type PictureLink = (file: string | undefined) => string | undefined;

const place = (file: string | undefined, line: number | undefined) => (file ? `${file}${line ? `:${line}` : ''}` : undefined);

/** The page's data from result files: one run, or a matrix's columns with its table. */
export function pageModel(
  results: { label: string; result: ResultFile }[],
  matrix: MatrixReport | undefined,
  picture: PictureLink,
  now = new Date(),
): PageModel {
  const runs = results.map(({ label, result }) => runModel(label, result, picture));
  const first = runs[0];
  const verdict = runs.every((r) => r.ok) ? 'passed' : 'failed';
  const title =
    runs.length === 1 && first
      ? `${first.addon} on Blender ${first.blender}: ${first.skipped ? 'skipped' : verdict}`
      : `${first?.addon ?? 'add-on'} on ${runs.length} Blenders: ${verdict}`;
  return { title, generatedAt: now.toISOString(), runs, matrix: matrix && runs.length > 1 ? matrixModel(matrix) : undefined };
}

function runModel(label: string, result: ResultFile, picture: PictureLink): RunModel {
  const counts = { passed: 0, failed: 0, skipped: 0, 'not-run': 0 };
  for (const entry of result.results) counts[entry.outcome]++;
  const timings = [
    result.timings.readyMs !== undefined ? `ready in ${formatDuration(result.timings.readyMs)}` : undefined,
    result.timings.testsMs !== undefined ? `tests ${formatDuration(result.timings.testsMs)}` : undefined,
    result.timings.teardownMs !== undefined ? `teardown ${formatDuration(result.timings.teardownMs)}` : undefined,
  ].filter(Boolean);
  return {
    label,
    addon: result.addon.module ?? result.addon.input ?? 'the add-on',
    blender: result.blender.version ?? 'unknown',
    ok: result.verdict.ok,
    failure: result.verdict.failure,
    skipped: result.verdict.skipped,
    finishedAt: result.finishedAt,
    timings: timings.join(' · '),
    logPath: result.session.logPath,
    teardown: result.session.teardownSentence,
    counts,
    // failed first, as a reader looks for them; then the rest in the run's order
    entries: [...result.results]
      .sort((a, b) => Number(b.outcome === 'failed') - Number(a.outcome === 'failed'))
      .map((e) => ({
        id: e.id,
        kind: e.kind,
        at: place(e.file, e.line) ?? '',
        outcome: e.outcome,
        time: formatDuration(e.durationMs),
        message: e.message,
        details: e.details,
      })),
    health: healthModel(result),
    deprecations: result.deprecations.map((d) => ({ text: `${d.category}: ${d.message}`, at: place(d.file, d.line), count: d.count })),
    snapshots: (result.snapshots ?? []).map((s) => ({
      at: place(s.file, s.line) ?? s.file,
      image: s.image,
      verdict: `${s.verdict}${s.ratio !== undefined ? ` (${(s.ratio * 100).toFixed(2)}% of pixels differ)` : ''}`,
      actual: picture(s.actual),
      expected: picture(s.expected),
      diff: picture(s.diff),
    })),
    coverage: result.coverage && {
      percent: formatPercent(result.coverage.percent),
      files: result.coverage.files.map((f) => ({ file: f.file, percent: formatPercent(f.percent), missing: lineRanges(f.missing) })),
    },
    ui: result.ui && {
      summary: `${result.ui.drawn} drawn, ${result.ui.notDrawn} not drawn, ${result.ui.errors.length} draw error${result.ui.errors.length === 1 ? '' : 's'}${result.ui.gl ? `; ${result.ui.gl}` : ''}`,
      errors: result.ui.errors.map((e) => ({ text: `${e.label}: ${e.message}`, at: place(e.file, e.line) })),
      targets: result.ui.targets.map((t) => ({
        label: t.label,
        kind: t.kind,
        drawn: t.drawn,
        reason: t.reason,
        at: place(t.file, t.line),
        image: picture(t.image),
      })),
    },
  };
}

function healthModel(result: ResultFile): RunModel['health'] {
  const sections: RunModel['health'] = [];
  const errors = result.addonErrors ?? [];
  if (errors.length > 0) {
    sections.push({
      title: `The add-on's code raised (${errors.length}, addon-errors: ${result.health?.addonErrors ?? 'fail'})`,
      lines: errors.map((e) => ({
        text: `${e.where}: ${e.message}${e.count > 1 ? ` (${e.count} times)` : ''}`,
        at: place(e.file, e.line),
        details: e.traceback,
      })),
    });
  }
  const leftovers = result.leftovers ?? [];
  if (leftovers.length > 0) {
    sections.push({
      title: `Left in Blender after unregister() (${leftovers.length}, unregister-check: ${result.health?.unregisterCheck ?? 'fail'})`,
      lines: leftovers.map((l) => ({ text: `${l.phase}: ${l.name}${l.detail ? ` ${l.detail}` : ''}`, at: place(l.file, l.line), details: undefined })),
    });
  }
  const memory = result.memory;
  if (memory) {
    const figure = (bytes: number | null) => (bytes === null ? 'unknown' : formatBytes(bytes));
    sections.push({
      title: "Blender's memory",
      lines: [
        {
          text: `${figure(memory.atReadyBytes)} at ready, ${figure(memory.afterWorkBytes)} after the tests and probes, peak ${figure(memory.peakBytes)}${memory.cpuSeconds !== null ? `; ${memory.cpuSeconds.toFixed(1)} s of CPU` : ''}`,
          at: undefined,
          details: undefined,
        },
      ],
    });
  }
  return sections;
}

function matrixModel(matrix: MatrixReport): MatrixModel {
  return {
    columns: matrix.columns,
    rows: matrix.rows.map((row) => ({
      kind: row.kind,
      name: rowName(row),
      cells: matrix.columns.map((column) => {
        const cell = row.cells.get(column);
        return cell ? { outcome: cell.outcome, text: cell.text, message: cell.message } : null;
      }),
      firstFailing: row.firstFailing,
    })),
  };
}
