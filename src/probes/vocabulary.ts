import { z } from 'zod';

/*
 * The words of the probe format that more than one part of it uses: the framings, MCP's
 * transports and lists, a port, a JSON value. The file format (schema.ts), the loaded suite
 * (suite.ts) and the step kinds (steps/) all take them from here.
 */

export const FRAMINGS = ['json', 'ndjson', 'content-length', 'length-prefixed', 'raw'] as const;
export type Framing = (typeof FRAMINGS)[number];

export const MCP_TRANSPORTS = ['streamable-http', 'sse'] as const;
export const MCP_LISTS = ['tools', 'resources', 'resourceTemplates', 'prompts'] as const;

export const Port = z.number().int().min(1).max(65535);

export type JsonValue = z.infer<ReturnType<typeof z.json>>;
