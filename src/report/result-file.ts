import os from 'node:os';
import { z } from 'zod';
import type { AddonHealth } from '../addon-health/health.js';
import type { BesideReport } from '../companion/beside-blender.js';
import { describeLeftover } from '../session/leftovers.js';
import { teardownLine } from './teardown-sentences.js';
import type { RunOutcome } from './outcome.js';
import { type UiReport, uiProblems } from '../ui-check/ui-report.js';

/**
 * The result file (`result-path`): everything a run decided, as JSON, for `mode: report` and
 * for a user to keep as an artifact. This schema is its one definition: the writer builds
 * it, the report reads it back through it. A change that old readers cannot read is a new
 * `schema` number.
 */
export const RESULT_SCHEMA_VERSION = 1;

const Outcome = z.enum(['passed', 'failed', 'skipped', 'not-run']);

const Entry = z.object({
  /** file::Class::test for a test, the step's name for a probe step */
  id: z.string(),
  kind: z.string(),
  /** the user's file, workspace-relative */
  file: z.string(),
  line: z.number(),
  outcome: Outcome,
  durationMs: z.number(),
  /** why it failed, or why it was skipped or not run */
  message: z.string().optional(),
});

const DeprecationEntry = z.object({
  source: z.enum(['python', 'blender']),
  category: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: z.number().optional(),
  count: z.number(),
});

const AddonErrorEntry = z.object({
  kind: z.string(),
  where: z.string(),
  message: z.string(),
  /** the user's file and line: the innermost frame in the addon's files */
  file: z.string().optional(),
  line: z.number().optional(),
  count: z.number(),
  traceback: z.string(),
});

const LeftoverEntry = z.object({
  kind: z.string(),
  name: z.string(),
  detail: z.string().optional(),
  file: z.string().optional(),
  line: z.number().optional(),
  count: z.number(),
  /** teardown, "reload 1/3", "teardown (test worker 2)" */
  phase: z.string(),
});

/** Resident bytes at each moment (null: this platform cannot tell), CPU seconds. */
const MemoryEntry = z.object({
  atReadyBytes: z.number().nullable(),
  afterWorkBytes: z.number().nullable(),
  afterReloadBytes: z.array(z.number().nullable()),
  peakBytes: z.number().nullable(),
  cpuSeconds: z.number().nullable(),
});

const McpSessionEntry = z.object({
  file: z.string(),
  target: z.string(),
  server: z.object({ name: z.string(), version: z.string() }),
  protocolVersion: z.string().optional(),
  capabilities: z.array(z.string()),
  tools: z.array(z.string()),
  /** tools whose schemas a client cannot read */
  problems: z.array(z.string()),
  progressNotifications: z.number(),
});

const UiEntry = z.object({
  /** the ui-check input as it judged: fail (auto, fail) or warn */
  check: z.enum(['fail', 'warn']),
  /** the Blender that drew, and its OpenGL (the UI check's own Blender, with a window) */
  gl: z.string().optional(),
  drawn: z.number(),
  notDrawn: z.number(),
  targets: z.array(z.object({ id: z.string(), kind: z.string(), label: z.string(), file: z.string().optional(), line: z.number().optional(), drawn: z.boolean(), reason: z.string().optional(), image: z.string().optional() })),
  errors: z.array(z.object({ target: z.string(), label: z.string(), kind: z.string(), message: z.string(), file: z.string().optional(), line: z.number().optional(), cycles: z.array(z.number()) })),
  /** why nothing (or not everything) was drawn; `fails`: whether that failed the run */
  problem: z.object({ kind: z.string(), message: z.string(), fails: z.boolean() }).optional(),
  resultsDir: z.string().optional(),
  passMs: z.number().optional(),
});

export const ResultFileSchema = z.object({
  schema: z.literal(RESULT_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('blender-bg-action'), version: z.string() }),
  finishedAt: z.string(),
  blender: z.object({
    /** as Blender reports it; a daily build's carries its hash */
    version: z.string().optional(),
    executable: z.string().optional(),
  }),
  os: z.object({ platform: z.string(), arch: z.string(), release: z.string() }),
  addon: z.object({ input: z.string().optional(), module: z.string().optional() }),
  verdict: z.object({
    ok: z.boolean(),
    /** why the run failed (one sentence) */
    failure: z.string().optional(),
    /** why nothing ran (incompatible-blender: skip) */
    skipped: z.string().optional(),
    cancelled: z.boolean(),
  }),
  session: z.object({
    ready: z.boolean(),
    /** graceful | early | unclean | killed; absent when Blender never started */
    teardown: z.string().optional(),
    teardownSentence: z.string().optional(),
    leftovers: z.number(),
    logPath: z.string().optional(),
  }),
  results: z.array(Entry),
  deprecations: z.array(DeprecationEntry),
  timings: z.object({ readyMs: z.number().optional(), teardownMs: z.number().optional(), testsMs: z.number().optional() }),
  /** shard: i/n: this job's share of the test files, and the plan's fingerprint (absent: not sharded) */
  shard: z.object({ index: z.number(), total: z.number(), fingerprint: z.string(), files: z.array(z.string()), withoutDuration: z.number(), byCount: z.boolean() }).optional(),
  // The addon's own health (absent in files written before it was checked, or when Blender never started).
  /** the addon-errors and unregister-check inputs the run judged its health by */
  health: z.object({ addonErrors: z.enum(['fail', 'warn']), unregisterCheck: z.enum(['fail', 'warn', 'off']) }).optional(),
  addonErrors: z.array(AddonErrorEntry).optional(),
  leftovers: z.array(LeftoverEntry).optional(),
  reloads: z.array(z.object({ cycle: z.number(), of: z.number(), leftovers: z.number(), problem: z.string().optional(), reloadMs: z.number(), passed: z.number(), failed: z.number() })).optional(),
  memory: MemoryEntry.optional(),
  /** test files that failed beside others on test workers and passed alone (absent: none, or an older file) */
  /** each test file's time as measured, setup included (absent: no tests, or an older file): what shard-durations reads */
  testFiles: z.array(z.object({ file: z.string(), ms: z.number() })).optional(),
  parallelUnsafe: z.array(z.object({ file: z.string(), ranWith: z.array(z.string()), test: z.string(), failure: z.string().optional(), aloneMs: z.number() })).optional(),
  /** each probe file's MCP session: the server's handshake and what it sent (absent: no MCP target) */
  mcp: z.array(McpSessionEntry).optional(),
  /** each render step's comparison: the approved image, what came of it, the images written when it failed (absent: none) */
  snapshots: z.array(z.object({ file: z.string(), line: z.number(), image: z.string(), verdict: z.string(), ratio: z.number().optional(), actual: z.string().optional(), expected: z.string().optional(), diff: z.string().optional() })).optional(),
  /** the add-on's UI, drawn in a Blender with a window (absent: not drawn, or an older file) */
  ui: UiEntry.optional(),
  /** the companion input's command, and how it and the stdio MCP servers ended (absent: none ran) */
  companion: z.object({ command: z.string().optional(), logPath: z.string().optional(), endedEarly: z.string().optional(), killed: z.boolean(), leftovers: z.array(z.string()) }).optional(),
});

export type ResultFile = z.infer<typeof ResultFileSchema>;
export type ResultEntry = z.infer<typeof Entry>;

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
      })),
      ...outcome.notRun.map((s) => ({ id: s.step, kind: 'not-run', file: s.file, line: s.line, outcome: 'not-run' as const, durationMs: 0, message: `not run: ${why}` })),
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
  return { command: companion?.command, logPath: companion?.logPath, endedEarly: companion?.endedEarly, killed: companion?.killed ?? false, leftovers: beside.leftovers.map(describeLeftover) };
}

function healthEntries(health: AddonHealth | undefined): Pick<ResultFile, 'health' | 'addonErrors' | 'leftovers' | 'reloads' | 'memory'> {
  if (!health) return {};
  const memory = health.memory;
  return {
    health: { addonErrors: health.errorsMode, unregisterCheck: health.leftoversMode },
    addonErrors: health.errors.map((e) => ({ kind: e.kind, where: e.where, message: e.message, file: e.file, line: e.line, count: e.count, traceback: e.traceback })),
    leftovers: health.leftovers.map((l) => ({ kind: l.kind, name: l.name, detail: l.detail, file: l.file, line: l.line, count: l.count, phase: l.phase })),
    reloads: health.reloads.map((c) => ({ cycle: c.cycle, of: c.of, leftovers: c.leftovers.length, problem: c.problem, reloadMs: c.reloadMs, passed: c.probes.passed, failed: c.probes.failed })),
    memory: memory && {
      atReadyBytes: memory.atReadyBytes ?? null,
      afterWorkBytes: memory.afterWorkBytes ?? null,
      afterReloadBytes: memory.afterReloadBytes.map((b) => b ?? null),
      peakBytes: memory.peakBytes ?? null,
      cpuSeconds: memory.cpuSeconds ?? null,
    },
  };
}

/** The file's text: pretty-printed (people read it as an artifact), undefined fields left out. */
export function resultFileText(result: ResultFile): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/**
 * A result file read back: the parsed file, or one sentence naming it and what is wrong
 * (not JSON, another schema, a field missing).
 */
export function parseResultFile(text: string, shownAs: string): ResultFile | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return `${shownAs} is not a result file: it is not JSON.`;
  }
  const schema = typeof data === 'object' && data !== null ? (data as { schema?: unknown }).schema : undefined;
  if (schema !== RESULT_SCHEMA_VERSION) {
    return `${shownAs} is not a result file of schema ${RESULT_SCHEMA_VERSION} (its schema is ${schema === undefined ? 'missing' : JSON.stringify(schema)}); write it with this version of blender-bg-action.`;
  }
  const parsed = ResultFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return `${shownAs} is not a valid result file: ${issue.path.join('.') || 'the top'}: ${issue.message}.`;
  }
  return parsed.data;
}
