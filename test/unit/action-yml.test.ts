import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { withInputsBlock } from '../../src/action-yml.js';
import { INPUTS } from '../../src/config.js';

const text = readFileSync(new URL('../../action.yml', import.meta.url), 'utf8');
const action = parse(text) as {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};

describe('action.yml', () => {
  it('declares exactly the inputs of src/config.ts, with the same defaults and descriptions', () => {
    expect(Object.keys(action.inputs)).toEqual(Object.keys(INPUTS));
    for (const [name, spec] of Object.entries(INPUTS)) {
      const declared = action.inputs[name]!;
      expect({ name, description: declared.description, default: declared.default, required: declared.required }).toEqual({
        name,
        description: spec.description,
        default: 'default' in spec ? spec.default : undefined,
        required: 'required' in spec ? spec.required : false,
      });
    }
  });

  it('is what `npm run action-yml` writes from INPUTS (run it after changing an input)', () => {
    expect(text).toBe(withInputsBlock(text));
  });

  it('runs the bundle on node24 and declares the outputs the reporter sets', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(Object.keys(action.outputs).sort()).toEqual(['addon-errors', 'blender-path', 'blender-version', 'cache-hit', 'coverage', 'deprecations', 'failed', 'failing-versions', 'leftovers', 'log-path', 'passed', 'peak-memory', 'skipped', 'snapshot-results', 'ui-errors', 'ui-results', 'versions']);
  });
});
