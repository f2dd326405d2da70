import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';

/** A schema without "$schema" is read as this dialect: draft-07 for the $schema operator, 2020-12 for MCP's tool schemas. */
export type SchemaDialect = 'draft-07' | '2020-12';

// One Ajv per dialect for the run; a schema used by many steps (or retried) is compiled once.
const validators = {
  'draft-07': new Ajv({ allErrors: false, strict: false }),
  '2020-12': new Ajv2020({ allErrors: false, strict: false }),
};
const compiledSchemas = new Map<string, ValidateFunction>();

/** Compiles (once) an inline JSON Schema; throws with Ajv's words when it is not one. Its "$schema" names its dialect. */
export function compileSchema(schema: unknown, unnamed: SchemaDialect = 'draft-07'): ValidateFunction {
  const declared = (schema as { $schema?: unknown } | null)?.$schema;
  const dialect: SchemaDialect = typeof declared === 'string' ? (declared.includes('2020-12') ? '2020-12' : 'draft-07') : unnamed;
  const key = `${dialect} ${JSON.stringify(schema)}`;
  let validate = compiledSchemas.get(key);
  if (!validate) {
    validate = validators[dialect].compile(schema as object);
    compiledSchemas.set(key, validate);
  }
  return validate;
}
