import os from 'node:os';
import type { AddonHealth } from '../addon-health/health.js';
import type { BesideReport } from '../companion/beside-blender.js';
import { describeLeftover } from '../session/leftovers.js';
import { teardownLine } from './teardown-sentences.js';
import type { RunOutcome } from './outcome.js';
import { DETAILS_LIMIT, RESULT_SCHEMA_VERSION, type ResultFile } from '../result-file/format.js';
import { truncate } from '../text.js';
import { type UiReport, uiProblems } from '../ui-check/ui-report.js';

export interface ResultContext {
  /** the `addon` input as given */
  addonInput: string | undefined;
  toolVersion: string;
  finishedAt?: Date;
}

/** The result file of a run, whatever its outcome (a run refused before launch too). */
export function resultFileOf(outcome: RunOutcome, context: ResultContext): ResultFile {
  const why = outcome.cancelled ? 'the run was cancelled' : 'Blender had ended';
  const teardown = outcome.teardown;
  return {
    schema: RESULT_SCHEMA_VERSION,
    tool: { name: 'blender-bg-action', version: context.toolVersion },
    finishedAt: (context.finishedAt ?? new Date()).toISOString(),
    blender: { version: outcome.blenderVersion, executable: outcome.blenderExecutable },
    os: { platform: process.platform, arch: process.arch, release: os.release() },
    addon: { input: context.addonInput, module: outcome.addonModule },
    verdict: { ok: outcome.ok, failure: outcome.failure, skipped: outcome.skipped, cancelled: outcome.cancelled },
    session: {
      ready: outcome.ready,
      teardown: teardown?.kind,
      teardownSentence: teardown ? teardownLine(teardown) : undefined,
      leftovers: teardown?.leftovers.length ?? 0,
      logPath: outcome.logPath,
    },
    results: [
      ...outcome.results.map((r) => ({
        id: r.step,
        kind: r.kind,
        file: r.file,
        line: r.line,
        outcome: r.skipped !== undefined ? ('skipped' as const) : r.passed ? ('passed' as const) : ('failed' as const),
        durationMs: r.durationMs,
        message: r.skipped ?? r.failure,
        ...(r.details && !r.passed ? { details: truncate(r.details, DETAILS_LIMIT) } : {}),
      })),
      ...outcome.notRun.map((s) => ({
        id: s.step,
        kind: 'not-run',
        file: s.file,
        line: s.line,
        outcome: 'not-run' as const,
        durationMs: 0,
        message: `not run: ${why}`,
      })),
    ],
    deprecations: outcome.deprecations.map((d) => ({ ...d, file: d.file, line: d.line })),
    timings: { readyMs: outcome.readyMs, teardownMs: teardown?.durationMs, testsMs: outcome.testsMs === undefined ? undefined : Math.round(outcome.testsMs) },
    ...(outcome.shard ? { shard: outcome.shard } : {}),
    ...healthEntries(outcome.health),
    ...(outcome.fileTimes.length > 0 ? { testFiles: outcome.fileTimes.map((t) => ({ file: t.file, ms: Math.round(t.ms) })) } : {}),
    ...(outcome.parallelUnsafe.length > 0 ? { parallelUnsafe: outcome.parallelUnsafe } : {}),
    ...(outcome.mcpSessions.length > 0 ? { mcp: outcome.mcpSessions } : {}),
    ...(outcome.snapshots.length > 0 ? { snapshots: outcome.snapshots } : {}),
    ...(outcome.beside ? { companion: companionEntry(outcome.beside) } : {}),
    ...(outcome.ui ? { ui: uiEntry(outcome.ui) } : {}),
    ...(outcome.coverage ? { coverage: { percent: outcome.coverage.percent, files: outcome.coverage.files } } : {}),
  };
}

function uiEntry(ui: UiReport): NonNullable<ResultFile['ui']> {
  const drawn = ui.targets.filter((t) => t.drawn).length;
  return {
    check: ui.failOnErrors ? 'fail' : 'warn',
    gl: ui.gl,
    drawn,
    notDrawn: ui.targets.length - drawn,
    targets: ui.targets.map((t) => ({ id: t.id, kind: t.kind, label: t.label, file: t.file, line: t.line, drawn: t.drawn, reason: t.reason, image: t.image })),
    errors: ui.errors.map((e) => ({ target: e.target, label: e.label, kind: e.kind, message: e.message, file: e.file, line: e.line, cycles: e.cycles })),
    problem: ui.problem && { kind: ui.problem.kind, message: ui.problem.message, fails: uiProblems({ ...ui, errors: [] }).length > 0 },
    resultsDir: ui.resultsDir,
    passMs: ui.passMs === undefined ? undefined : Math.round(ui.passMs),
  };
}

function companionEntry(beside: BesideReport): NonNullable<ResultFile['companion']> {
  const { companion } = beside;
  return {
    command: companion?.command,
    logPath: companion?.logPath,
    endedEarly: companion?.endedEarly,
    killed: companion?.killed ?? false,
    leftovers: beside.leftovers.map(describeLeftover),
  };
}

function healthEntries(health: AddonHealth | undefined): Pick<ResultFile, 'health' | 'addonErrors' | 'leftovers' | 'reloads' | 'memory'> {
  if (!health) return {};
  const memory = health.memory;
  return {
    health: { addonErrors: health.errorsMode, unregisterCheck: health.leftoversMode },
    addonErrors: health.errors.map((e) => ({
      kind: e.kind,
      where: e.where,
      message: e.message,
      file: e.file,
      line: e.line,
      count: e.count,
      traceback: e.traceback,
    })),
    leftovers: health.leftovers.map((l) => ({ kind: l.kind, name: l.name, detail: l.detail, file: l.file, line: l.line, count: l.count, phase: l.phase })),
    reloads: health.reloads.map((c) => ({
      cycle: c.cycle,
      of: c.of,
      leftovers: c.leftovers.length,
      problem: c.problem,
      reloadMs: c.reloadMs,
      passed: c.probes.passed,
      failed: c.probes.failed,
    })),
    memory: memory && {
      atReadyBytes: memory.atReadyBytes ?? null,
      afterWorkBytes: memory.afterWorkBytes ?? null,
      afterReloadBytes: memory.afterReloadBytes.map((b) => b ?? null),
      peakBytes: memory.peakBytes ?? null,
      cpuSeconds: memory.cpuSeconds ?? null,
    },
  };
}
