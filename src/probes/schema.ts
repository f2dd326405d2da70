import { z } from 'zod';

/**
 * The probe file format, version 1. This zod schema is the one source of truth: the loader
 * validates with it, and `npm run generate` turns it into probe.schema.json for editors.
 * Expectations (`expect`, `failIf`) are free JSON here; their operators are checked by
 * operators.ts#checkPattern, which knows each operator's operand.
 */
const FRAMINGS = ['json', 'ndjson', 'content-length', 'length-prefixed', 'raw'] as const;
export type Framing = (typeof FRAMINGS)[number];

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

const Port = z.number().int().min(1).max(65535);

export const MCP_TRANSPORTS = ['streamable-http', 'sse'] as const;

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

export const MCP_LISTS = ['tools', 'resources', 'resourceTemplates', 'prompts'] as const;

const McpRequest = z
  .object({
    call: z.string().min(1).optional().describe("tools/call: the tool's name. expect matches {content, structuredContent, isError, text, json, progress}."),
    list: z.enum(MCP_LISTS).optional().describe('tools/list, resources/list, resources/templates/list or prompts/list: expect matches the list result.'),
    read: z.string().min(1).optional().describe("resources/read: the resource's URI."),
    prompt: z.string().min(1).optional().describe("prompts/get: the prompt's name."),
    arguments: z.record(z.string(), z.json()).optional().describe('With call or prompt: the arguments.'),
  })
  .strict()
  .superRefine((mcp, ctx) => {
    const given = (['call', 'list', 'read', 'prompt'] as const).filter((key) => mcp[key] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message: given.length === 0 ? 'needs one of call, list, read or prompt' : `takes one of call, list, read or prompt, not ${given.join(' and ')}`,
        path: given.length > 1 ? [given[1]!] : [],
      });
    if (mcp.arguments !== undefined && mcp.call === undefined && mcp.prompt === undefined)
      ctx.addIssue({ code: 'custom', message: 'arguments apply only with call or prompt', path: ['arguments'] });
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

const HttpRequest = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']).default('GET'),
    path: z.string().regex(/^\//, 'must start with /'),
    host: z.string().min(1).optional().describe('Default: the target host.'),
    port: Port.optional().describe('Default: the target port.'),
    headers: z.record(z.string(), z.string()).optional(),
    json: z.json().optional().describe('Sent as the JSON body (Content-Type: application/json).'),
    body: z.string().optional().describe('Sent as the body, as is.'),
  })
  .strict()
  .refine((http) => http.json === undefined || http.body === undefined, { message: 'takes json or body, not both' });

const BlenderCode = z.union([
  z.string().min(1).describe("A Python expression, evaluated on Blender's main thread; its value is matched."),
  z.object({ exec: z.string().min(1).describe('Python statements; the value matched is the variable `result` they set (null if none).') }).strict(),
]);

const RENDER_ENGINES = ['CYCLES', 'EEVEE', 'WORKBENCH'] as const;

const Render = z
  .object({
    scene: z.string().min(1).optional().describe('Default: the current scene.'),
    camera: z.string().min(1).optional().describe("An object to render from. Default: the scene's camera."),
    engine: z
      .enum(RENDER_ENGINES)
      .optional()
      .describe('CYCLES (default: on the CPU, everywhere), EEVEE or WORKBENCH (these need an EGL library in background mode).'),
    resolution: z
      .tuple([z.number().int().min(1).max(16384), z.number().int().min(1).max(16384)])
      .optional()
      .describe('[width, height]. Default [256, 256].'),
    samples: z.number().int().min(1).max(65536).optional().describe('Default 16.'),
    setup: z.string().optional().describe('Python run after the deterministic settings, before the render (it may change them).'),
  })
  .strict();

/** A render step's expect: the approved image and how close the render must be to it. */
export const RenderExpect = z
  .object({
    image: z
      .string()
      .regex(/\.png$/i, 'must name a .png file')
      .describe("The approved image, relative to the probe file; a copy under a folder named by Blender's series (snapshots/4.2/cube.png) wins."),
    threshold: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe("How different one pixel may be and still count as equal (pixelmatch's perceptual threshold, 0 to 1). Default 0.1."),
    'max-diff-ratio': z.number().min(0).max(1).optional().describe('The share of pixels (0 to 1) that may differ. Default 0.01.'),
  })
  .strict();

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

const STEP_KINDS = ['send', 'http', 'blender', 'mcp', 'render'] as const;

const StepSchema = z
  .object({
    ...StepBase,
    send: z.json().optional().describe('TCP request: JSON, or a string with the raw framing.'),
    http: HttpRequest.optional().describe('An HTTP request; expect matches {status, headers, json, body}.'),
    blender: BlenderCode.optional().describe("Python run on Blender's main thread through the driver; for add-ons with no port."),
    mcp: McpRequest.optional().describe("A request to the file's MCP server (target.mcp): call a tool, list, read a resource, get a prompt."),
    render: Render.optional().describe(
      'Render the live scene (deterministic settings) and compare it with the approved image that expect names: {"image": "snapshots/cube.png"}.',
    ),
  })
  .strict()
  .superRefine((step, ctx) => {
    const kinds = STEP_KINDS.filter((kind) => step[kind] !== undefined);
    if (kinds.length !== 1) {
      const message =
        kinds.length === 0 ? 'needs one of send, http, blender, mcp or render' : `takes one of send, http, blender, mcp or render, not ${kinds.join(' and ')}`;
      ctx.addIssue({ code: 'custom', message, path: kinds.length > 1 ? [kinds[1]!] : [] });
    }
  });

export const ProbeFileSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1).optional().describe('The format version: 1.'),
    name: z.string().min(1).optional().describe('Default: the file name.'),
    target: TargetSchema.optional(),
    vars: z
      .record(z.string().regex(/^[A-Za-z_][\w]*$/, 'must be a name such as scene'), z.json())
      .optional()
      .describe('Variables for {{name}}.'),
    steps: z.array(StepSchema).min(1, 'must list at least one step'),
  })
  .strict();

export type ProbeFileJson = z.infer<typeof ProbeFileSchema>;
export type StepJson = z.infer<typeof StepSchema>;
export type McpTargetJson = z.infer<typeof McpTarget>;
export type McpRequestJson = z.infer<typeof McpRequest>;
export type JsonValue = z.infer<ReturnType<typeof z.json>>;
