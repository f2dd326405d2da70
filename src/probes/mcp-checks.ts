import { preview, isPlainObject } from './json-values.js';
import { compileSchema } from './schema-cache.js';

/** What the checks need of a tool from tools/list. */
export interface ToolInfo {
  name: string;
  inputSchema?: unknown;
  outputSchema?: unknown;
}

/** What the checks need of a tools/call result. */
export interface CallResult {
  content?: unknown[];
  structuredContent?: unknown;
  isError?: boolean;
}

/**
 * Every tool's schemas, as a client reads them: inputSchema must be a JSON Schema for an
 * object (a client builds its call from it), outputSchema too where there is one. An MCP
 * schema without "$schema" is JSON Schema 2020-12, as the protocol says.
 */
export function toolSchemaProblems(tools: ToolInfo[]): string[] {
  const problems: string[] = [];
  for (const tool of tools) {
    for (const key of ['inputSchema', 'outputSchema'] as const) {
      const schema = tool[key];
      if (schema === undefined && key === 'outputSchema') continue;
      if (!isPlainObject(schema) || schema['type'] !== 'object') {
        problems.push(`tool '${tool.name}': its ${key} must be a JSON Schema with "type": "object", got ${preview(schema)}`);
        continue;
      }
      try {
        compileSchema(schema, '2020-12');
      } catch (error) {
        problems.push(`tool '${tool.name}': its ${key} is not a valid JSON Schema: ${(error as Error).message}`);
      }
    }
  }
  return problems;
}

/**
 * Whether the result keeps the promise of the tool's outputSchema: structuredContent there,
 * and valid against it, named by the path that breaks it ("structuredContent.objects").
 */
export function outputSchemaProblem(tool: ToolInfo | undefined, result: CallResult): string | undefined {
  if (tool?.outputSchema === undefined || result.isError) return undefined;
  if (result.structuredContent === undefined) return `tool '${tool.name}' declares an outputSchema but returned no structuredContent`;
  let validate;
  try {
    validate = compileSchema(tool.outputSchema, '2020-12');
  } catch {
    return undefined; // the session's own check has named the broken schema
  }
  if (validate(result.structuredContent)) return undefined;
  const error = validate.errors?.[0];
  const at = `structuredContent${(error?.instancePath ?? '').replace(/\/([^/]*)/g, (_, segment: string) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment.replace(/~1/g, '/').replace(/~0/g, '~')}`))}`;
  const extra = error?.keyword === 'required' || error?.keyword === 'additionalProperties' ? ` (${Object.values(error.params).join(', ')})` : '';
  return `${at} does not match tool '${tool.name}''s outputSchema: ${error?.message ?? 'invalid'}${extra}`;
}

/** A tool's text content, joined: what a client shows, and what `json` is parsed from. */
export function textOf(result: CallResult): string {
  return (result.content ?? [])
    .filter((item): item is { type: 'text'; text: string } => isPlainObject(item) && item['type'] === 'text' && typeof item['text'] === 'string')
    .map((item) => item.text)
    .join('\n');
}

/**
 * What an mcp call step's expect matches: the result as the server sent it, its text, the
 * text parsed as JSON where it is JSON (most bridges return their JSON as text), and how many
 * progress notifications came.
 */
export function callDocument(result: CallResult & Record<string, unknown>, progress: number): Record<string, unknown> {
  const text = textOf(result);
  const json = parsedJson(text);
  return { ...result, isError: result.isError === true, text, ...(json === undefined ? {} : { json }), progress };
}

function parsedJson(text: string): unknown {
  const trimmed = text.trim();
  if (!/^[[{"]|^-?\d|^(true|false|null)$/.test(trimmed)) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

/** A tool that failed fails the step, unless the step's expect says what isError should be. */
export function unexpectedToolError(result: CallResult, expect: unknown): string | undefined {
  if (result.isError !== true) return undefined;
  if (isPlainObject(expect) && 'isError' in expect) return undefined;
  const text = textOf(result);
  return `the tool failed (isError: true)${text ? `: ${preview(text)}` : ''}`;
}

/** The bridges' habit: a failure told only in words ("Error: …") with isError false, so a client takes it for a success. */
export function errorWithoutIsError(result: CallResult): boolean {
  return result.isError !== true && /^\s*error\b/i.test(textOf(result));
}
