import { Ajv, type ValidateFunction } from 'ajv';

// One Ajv for the run; a schema used by many steps (or retried) is compiled once.
const ajv = new Ajv({ allErrors: false, strict: false });
const compiledSchemas = new Map<string, ValidateFunction>();

/** Compiles (once) an inline JSON Schema; throws with Ajv's words when it is not one. */
export function compileSchema(schema: unknown): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = compiledSchemas.get(key);
  if (!validate) {
    validate = ajv.compile(schema as object);
    compiledSchemas.set(key, validate);
  }
  return validate;
}
