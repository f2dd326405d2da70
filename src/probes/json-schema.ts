import { z } from 'zod';
import { ProbeFileSchema } from './schema.js';

/**
 * probe.schema.json, for editors ("$schema" in a probe file): made from the zod schema,
 * so the editor, the validator and the docs cannot drift apart. Draft-07: what VS Code
 * and most editors understand best.
 */
export function probeJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ProbeFileSchema, { target: 'draft-7', io: 'input', unrepresentable: 'any' });
  return {
    ...schema,
    $id: 'https://github.com/org/blender-bg-action/probe.schema.json',
    title: 'blender-bg-action probe file',
    description: 'Steps that probe a Blender add-on: send (TCP), http, or blender (Python on the main thread), each with an expectation.',
  };
}

export function probeJsonSchemaText(): string {
  return `${JSON.stringify(probeJsonSchema(), null, 2)}\n`;
}
