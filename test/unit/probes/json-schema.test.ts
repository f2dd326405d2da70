import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse } from 'jsonc-parser';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { probeJsonSchemaText } from '../../../src/probes/json-schema.js';

const committed = readFileSync(new URL('../../../probe.schema.json', import.meta.url), 'utf8');

describe('probe.schema.json (the editor schema)', () => {
  it('is what `npm run generate` makes from the zod schema now (run it and commit when this fails)', () => {
    expect(committed).toBe(probeJsonSchemaText());
  });

  it('uses only standard JSON Schema keywords and formats (validators would warn about and ignore others)', () => {
    // strictSchema throws on an unknown keyword; an unknown format throws when formats are validated.
    expect(() => new Ajv({ strictSchema: true, strictTypes: false, strictTuples: false, strictRequired: false }).compile(JSON.parse(committed))).not.toThrow();
    expect(new Ajv({ strict: false }).compile(JSON.parse(committed))({ steps: [{ name: 'x', http: { method: 'GET', path: 'status' } }] })).toBe(false);
  });

  it('accepts every example and fixture probe file, and refuses a misspelt key', () => {
    const validate = new Ajv({ strict: false }).compile(JSON.parse(committed));
    const files = globSync(['examples/**/probes/*.json', 'test/fixtures/probes/*.json'], {
      cwd: new URL('../../..', import.meta.url).pathname,
      absolute: true,
    });
    expect(files.length).toBeGreaterThan(2);
    for (const file of files) {
      expect([file, validate(parse(readFileSync(file, 'utf8')))]).toEqual([file, true]);
    }
    expect(validate({ steps: [{ name: 'x', sned: {} }] })).toBe(false);
    expect(validate({ steps: [{ name: 'x', send: {}, retry: { timeout: 'soon' } }] })).toBe(false);
  });
});
