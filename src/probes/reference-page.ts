import { probeJsonSchema } from './json-schema.js';
import { STEP_KIND_NAMES } from './steps/registry.js';

/** The part of a JSON Schema the page reads. */
interface Schema {
  type?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  allOf?: Schema[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  $ref?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
}

/** A table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

/** What a value is, in a few words: "string", "one of `GET`, `POST`", "number or duration string", "JSON value". */
function shape(schema: Schema): string {
  if (schema.$ref || schema.allOf) return 'any JSON value';
  if (schema.enum) return `one of ${schema.enum.map((v) => `\`${String(v)}\``).join(', ')}`;
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.anyOf) {
    const durations = schema.anyOf.some((s) => s.type === 'number') && schema.anyOf.some((s) => s.type === 'string');
    return durations && schema.anyOf.length === 2 ? 'duration ("500ms", "2s", "1m") or milliseconds' : [...new Set(schema.anyOf.map(shape))].join(' or ');
  }
  if (schema.type === 'integer' && schema.minimum !== undefined) {
    return schema.maximum === undefined || schema.maximum >= Number.MAX_SAFE_INTEGER
      ? `integer ≥ ${schema.minimum}`
      : `integer ${schema.minimum}–${schema.maximum}`;
  }
  if (schema.type === 'array') return schema.items ? `array of ${shape(schema.items)}` : 'array';
  if (schema.type === 'object' && !schema.properties && typeof schema.additionalProperties === 'object')
    return `object of ${shape(schema.additionalProperties)}`;
  return schema.type ?? 'any JSON value';
}

/** A table of an object's keys: key, what it takes, required, what it is. */
function keysTable(schema: Schema, only?: (key: string) => boolean): string[] {
  const required = new Set(schema.required ?? []);
  const rows = Object.entries(schema.properties ?? {})
    .filter(([key]) => !only || only(key))
    .map(([key, value]) => {
      const description =
        value.description ??
        (value.anyOf
          ?.map((s) => s.description)
          .filter(Boolean)
          .join(' Or: ') ||
          '');
      const fallback = value.default !== undefined ? ` Default: \`${JSON.stringify(value.default)}\`.` : '';
      return `| \`${key}\` | ${cell(shape(value))} | ${required.has(key) ? 'yes' : ''} | ${cell(description + fallback)} |`;
    });
  return ['| key | takes | required | what it is |', '|---|---|---|---|', ...rows];
}

/** An object's own keys, through an anyOf of one object (blender's exec form). */
function objectIn(schema: Schema): Schema | undefined {
  if (schema.properties) return schema;
  return schema.anyOf?.find((s) => s.properties);
}

/**
 * docs/reference/probe-format.md, written from the probe format's zod schema through
 * probe.schema.json (`npm run generate`; test/unit/probes/reference-page.test.ts fails when the
 * page differs): the file, its target, a step's keys, each step kind's.
 */
export function probeFormatReferencePage(): string {
  const file = probeJsonSchema() as Schema;
  const step = file.properties!['steps']!.items!;
  const target = file.properties!['target']!;
  const out = [
    '# Probe file format (version 1)',
    '',
    '<!-- Written by `npm run generate` from the zod schema (src/probes/schema.ts, src/probes/steps/): change the format there, not here. -->',
    '',
    'A probe file is JSON (comments and trailing commas allowed): a `target`, optional `vars`, and',
    '`steps` run in order. Editors check it as you type with `"$schema": "../../probe.schema.json"`',
    '(the same schema, as a file). How to write one, with examples: [the probes guide](../guides/probes.md).',
    '',
    '## The file',
    '',
    ...keysTable(file, (key) => key !== '$schema'),
    '',
    '## `target`',
    '',
    ...keysTable(target),
    '',
    '### `target.mcp`',
    '',
    ...keysTable(target.properties!['mcp']!),
    '',
    '## A step',
    '',
    `Every step has a \`name\` and exactly one of ${STEP_KIND_NAMES.map((k) => `\`${k}\``).join(', ')}; these keys come with any kind:`,
    '',
    ...keysTable(step, (key) => !(STEP_KIND_NAMES as string[]).includes(key)),
    '',
    '### `retry`',
    '',
    ...keysTable(step.properties!['retry']!),
  ];
  for (const kind of STEP_KIND_NAMES) {
    const schema = step.properties![kind]!;
    out.push('', `## \`${kind}\` steps`, '', cell(schema.description ?? ''));
    const own = objectIn(schema);
    if (own) out.push('', ...keysTable(own));
  }
  return `${out.join('\n')}\n`;
}
