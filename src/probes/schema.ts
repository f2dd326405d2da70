import { z } from 'zod';
import { STEP_KINDS, STEP_KIND_NAMES } from './steps/registry.js';
import { FRAMINGS, MCP_TRANSPORTS, Port } from './vocabulary.js';

/**
 * The probe file format, version 1. This zod schema is the one source of truth: the loader
 * validates with it, and `npm run generate` turns it into probe.schema.json for editors.
 * Expectations (`expect`, `failIf`) are free JSON here; their operators are checked by
 * operators.ts#checkPattern, which knows each operator's operand.
 */

const Duration = z
  .union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?\s*(ms|s|m)$/, 'must be a duration such as "500ms", "2s" or "1m"')])
  .describe('A duration: "500ms", "2s", "1m", or a number of milliseconds.');

const Pattern = z
  .json()
  .describe(
    'Expected value. Objects match as subsets (extra keys allowed), arrays positionally. Operators stand anywhere a value can: ' +
      '$eq $ne $gt $gte $lt $lte $in $nin $regex $contains $startsWith $endsWith $exists $any $type $size $all $elemMatch $closeTo $not $and $or $schema. ' +
      'A string that is exactly "{{name}}" is replaced by that variable with its type.',
  );

const McpTarget = z
  .object({
    stdio: z
      .string()
      .min(1)
      .optional()
      .describe('A command the client starts (a shell command line) and talks to over its stdin and stdout; {port} is the port input.'),
    url: z
      .string()
      .regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL')
      .optional()
      .describe('A server already running (the companion input): {port} and {companion-port} are filled in.'),
    transport: z.enum(MCP_TRANSPORTS).optional().describe('With url: streamable-http (default) or sse (older servers).'),
    env: z
      .record(z.string(), z.string())
      .optional()
      .describe("With stdio: environment for the command, besides the runner's, the env input and companion-env."),
    headers: z.record(z.string(), z.string()).optional().describe('With url: headers sent with every request (e.g. Authorization).'),
  })
  .strict()
  .superRefine((mcp, ctx) => {
    const given = (['stdio', 'url'] as const).filter((key) => mcp[key] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message: given.length === 0 ? 'needs stdio (a command) or url' : 'takes stdio or url, not both',
        path: given.length > 1 ? ['url'] : [],
      });
    for (const [key, needs] of [
      ['transport', 'url'],
      ['headers', 'url'],
      ['env', 'stdio'],
    ] as const) {
      if (mcp[key] !== undefined && mcp[needs] === undefined) ctx.addIssue({ code: 'custom', message: `${key} applies only with ${needs}`, path: [key] });
    }
  });

const TargetSchema = z
  .object({
    host: z.string().min(1).optional().describe('Default: the host input (127.0.0.1).'),
    port: Port.optional().describe('Default: the port input.'),
    framing: z
      .enum(FRAMINGS)
      .optional()
      .describe(
        'json (default): bare JSON, the reply ends with one complete value. ndjson: one JSON value per line. ' +
          'content-length: LSP-style "Content-Length: N" headers. length-prefixed: an unsigned length (see lengthPrefix), then that many bytes of UTF-8 JSON. ' +
          'raw: send a string, the reply is what arrives until the server closes or goes quiet.',
      ),
    lengthPrefix: z
      .object({
        bytes: z
          .union([z.literal(2), z.literal(4), z.literal(8)])
          .optional()
          .describe('Width of the length: 2, 4 (default) or 8 bytes.'),
        byteOrder: z.enum(['big', 'little']).optional().describe('big (default: network order) or little endian.'),
      })
      .strict()
      .optional()
      .describe('With "framing": "length-prefixed": the shape of the length before each message, both ways.'),
    connection: z
      .enum(['persistent', 'per-step'])
      .optional()
      .describe('persistent (default): one connection for the file, reopened if the server closes it. per-step: a new connection for each step.'),
    mcp: McpTarget.optional().describe("An MCP server (a bridge to the add-on) for the file's mcp steps: one session for the whole file."),
  })
  .strict();

// Capture paths are checked by load.ts (json-path.ts's grammar), with a better message.
const Capture = z.union([
  z.string().describe('JSON path into the reply, e.g. "$.result.id".'),
  z
    .object({
      path: z.string().default('$'),
      regex: z.string().optional().describe('Applied to the (string) value at path: the first group, or the whole match.'),
    })
    .strict(),
]);

const Retry = z
  .object({
    timeout: Duration.describe('Give up after this long in all.'),
    interval: Duration.optional().describe('Wait between failed attempts. Default 500ms.'),
    attempts: z.number().int().min(1).optional().describe('Give up after this many attempts.'),
    failIf: Pattern.optional().describe('A reply that matches this ends the retries at once, as a failure.'),
  })
  .strict()
  .describe('Poll: repeat the step until it passes.');

const StepBase = {
  name: z.string().min(1).describe('Shown in reports.'),
  expect: Pattern.optional(),
  strict: z.boolean().optional().describe('Exact deep equality: objects may not have keys the expectation does not list.'),
  capture: z
    .record(z.string().regex(/^[A-Za-z_][\w]*$/, 'must be a name such as job_id'), Capture)
    .optional()
    .describe('Variables to keep from the reply, for later steps.'),
  retry: Retry.optional(),
  timeout: Duration.optional().describe('Per attempt. Default: the probe-timeout input.'),
};

type KindKeys = { [K in keyof typeof STEP_KINDS]: z.ZodOptional<(typeof STEP_KINDS)[K]['schema']> };

/** Each kind's key, optional: a step has exactly one of them (steps/registry.ts lists the kinds). */
const kindKeys = Object.fromEntries(STEP_KIND_NAMES.map((name) => [name, STEP_KINDS[name].schema.optional()])) as KindKeys;

/** "send, http, blender, mcp or render" */
const KINDS_SAID = `${STEP_KIND_NAMES.slice(0, -1).join(', ')} or ${STEP_KIND_NAMES.at(-1)}`;

const StepSchema = z
  .object({ ...StepBase, ...kindKeys })
  .strict()
  .superRefine((step, ctx) => {
    const kinds = STEP_KIND_NAMES.filter((kind) => step[kind] !== undefined);
    if (kinds.length !== 1) {
      const message = kinds.length === 0 ? `needs one of ${KINDS_SAID}` : `takes one of ${KINDS_SAID}, not ${kinds.join(' and ')}`;
      ctx.addIssue({ code: 'custom', message, path: kinds.length > 1 ? [kinds[1]!] : [] });
    }
  });

export const ProbeFileSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1).optional().describe('The format version: 1.'),
    name: z.string().min(1).optional().describe('Default: the file name.'),
    target: TargetSchema.optional().describe("Where the file's send and http steps go, and its MCP server."),
    vars: z
      .record(z.string().regex(/^[A-Za-z_][\w]*$/, 'must be a name such as scene'), z.json())
      .optional()
      .describe('Variables for {{name}}.'),
    steps: z.array(StepSchema).min(1, 'must list at least one step').describe('Run in order; a step that fails does not stop the ones after it.'),
  })
  .strict();

export type ProbeFileJson = z.infer<typeof ProbeFileSchema>;
export type StepJson = z.infer<typeof StepSchema>;
export type McpTargetJson = z.infer<typeof McpTarget>;
