import { z } from 'zod';

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
  /** more to read under a failure (a traceback, what came back), at most DETAILS_LIMIT characters */
  details: z.string().optional(),
});

/** How much of a failure's details a result file keeps: enough for any traceback, bounded for 1,000 failures. */
export const DETAILS_LIMIT = 16_000;

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
  /** the user's file and line: the innermost frame in the add-on's files */
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
  targets: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      label: z.string(),
      file: z.string().optional(),
      line: z.number().optional(),
      drawn: z.boolean(),
      reason: z.string().optional(),
      image: z.string().optional(),
    }),
  ),
  errors: z.array(
    z.object({
      target: z.string(),
      label: z.string(),
      kind: z.string(),
      message: z.string(),
      file: z.string().optional(),
      line: z.number().optional(),
      cycles: z.array(z.number()),
    }),
  ),
  /** why nothing (or not everything) was drawn; `fails`: whether that failed the run */
  problem: z.object({ kind: z.string(), message: z.string(), fails: z.boolean() }).optional(),
  resultsDir: z.string().optional(),
  passMs: z.number().optional(),
});

const ResultFileSchema = z.object({
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
  shard: z
    .object({ index: z.number(), total: z.number(), fingerprint: z.string(), files: z.array(z.string()), withoutDuration: z.number(), byCount: z.boolean() })
    .optional(),
  // The add-on's own health (absent in files written before it was checked, or when Blender never started).
  /** the add-on-errors and unregister-check inputs the run judged its health by */
  health: z.object({ addonErrors: z.enum(['fail', 'warn']), unregisterCheck: z.enum(['fail', 'warn', 'off']) }).optional(),
  addonErrors: z.array(AddonErrorEntry).optional(),
  leftovers: z.array(LeftoverEntry).optional(),
  reloads: z
    .array(
      z.object({
        cycle: z.number(),
        of: z.number(),
        leftovers: z.number(),
        problem: z.string().optional(),
        reloadMs: z.number(),
        passed: z.number(),
        failed: z.number(),
      }),
    )
    .optional(),
  memory: MemoryEntry.optional(),
  /** test files that failed beside others on test workers and passed alone (absent: none, or an older file) */
  /** each test file's time as measured, setup included (absent: no tests, or an older file): what shard-durations reads */
  testFiles: z.array(z.object({ file: z.string(), ms: z.number() })).optional(),
  parallelUnsafe: z
    .array(
      z.object({
        file: z.string(),
        ranWith: z.array(z.string()),
        test: z.string(),
        failure: z.string().optional(),
        aloneMs: z.number(),
        /** an earlier run found it so: it ran alone from the start */
        remembered: z.boolean().optional(),
      }),
    )
    .optional(),
  /** each probe file's MCP session: the server's handshake and what it sent (absent: no MCP target) */
  mcp: z.array(McpSessionEntry).optional(),
  /** each render step's comparison: the approved image, what came of it, the images written when it failed (absent: none) */
  snapshots: z
    .array(
      z.object({
        file: z.string(),
        line: z.number(),
        image: z.string(),
        verdict: z.string(),
        ratio: z.number().optional(),
        actual: z.string().optional(),
        expected: z.string().optional(),
        diff: z.string().optional(),
      }),
    )
    .optional(),
  /** the coverage input: the add-on's files, each with the lines not run (absent: not measured, or an older file) */
  coverage: z
    .object({
      percent: z.number(),
      files: z.array(z.object({ file: z.string(), percent: z.number(), covered: z.number(), total: z.number(), missing: z.array(z.number()) })),
    })
    .optional(),
  /** the add-on's UI, drawn in a Blender with a window (absent: not drawn, or an older file) */
  ui: UiEntry.optional(),
  /** the companion input's command, and how it and the stdio MCP servers ended (absent: none ran) */
  companion: z
    .object({
      command: z.string().optional(),
      logPath: z.string().optional(),
      endedEarly: z.string().optional(),
      killed: z.boolean(),
      leftovers: z.array(z.string()),
    })
    .optional(),
});

export type ResultFile = z.infer<typeof ResultFileSchema>;
export type ResultEntry = z.infer<typeof Entry>;

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
