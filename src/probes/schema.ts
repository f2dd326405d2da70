import { z } from 'zod';

/**
 * The probe file format, version 1 (first cut). This zod schema is the one source of
 * truth: the loader validates with it and the editor schema is generated from it.
 */
export const FRAMINGS = ['json', 'ndjson'] as const;
export type Framing = (typeof FRAMINGS)[number];

const Duration = z.union([
  z.number().positive().describe('milliseconds'),
  z.string().regex(/^\d+(\.\d+)?\s*(ms|s|m)$/, 'must be a duration such as "500ms" or "2s"'),
]);

export const TargetSchema = z
  .object({
    host: z.string().min(1).optional().describe('Default: the host input (127.0.0.1).'),
    port: z.number().int().min(1).max(65535).optional().describe('Default: the port input.'),
    framing: z
      .enum(FRAMINGS)
      .optional()
      .describe('json: bare JSON, the reply ends when one complete value has arrived (default). ndjson: one JSON value per line.'),
  })
  .strict();

export const StepSchema = z
  .object({
    name: z.string().min(1).describe('Shown in reports.'),
    send: z.json().describe('The request, sent as JSON.'),
    expect: z.json().optional().describe('Subset match: listed keys must match, extra keys are fine; arrays are positional.'),
    timeout: Duration.optional().describe('Default: the probe-timeout input.'),
  })
  .strict();

export const ProbeFileSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1).optional().describe('Default: the file name.'),
    target: TargetSchema.optional(),
    steps: z.array(StepSchema).min(1, 'must list at least one step'),
  })
  .strict();

export type ProbeFileJson = z.infer<typeof ProbeFileSchema>;
export type JsonValue = z.infer<ReturnType<typeof z.json>>;
