import os from 'node:os';
import { z } from 'zod';
import { teardownLine } from './teardown-sentences.js';
import type { RunOutcome } from './outcome.js';

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
  timings: z.object({ readyMs: z.number().optional(), teardownMs: z.number().optional() }),
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
    timings: { readyMs: outcome.readyMs, teardownMs: teardown?.durationMs },
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
