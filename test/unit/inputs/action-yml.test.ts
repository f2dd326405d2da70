import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { withInputsBlock } from '../../../src/inputs/action-yml.js';
import { ACTION_INPUTS } from '../../../src/inputs/declarations.js';

const text = readFileSync(new URL('../../../action.yml', import.meta.url), 'utf8');
const action = parse(text) as {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};

describe('action.yml', () => {
  it('declares exactly the action inputs of src/inputs/declarations.ts, with the same defaults and descriptions, none required', () => {
    expect(Object.keys(action.inputs)).toEqual(ACTION_INPUTS.map(([name]) => name));
    expect(Object.keys(action.inputs)).not.toContain('watch');
    for (const [name, declaration] of ACTION_INPUTS) {
      const declared = action.inputs[name]!;
      expect({ name, description: declared.description, default: declared.default, required: declared.required }).toEqual({
        name,
        description: declaration.description,
        default: declaration.default,
        required: false,
      });
    }
  });

  it('is what `npm run generate` writes from the declarations (run it after changing an input)', () => {
    expect(text).toBe(withInputsBlock(text));
  });

  it('runs the bundle on node24 and declares the outputs the reporter sets', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(Object.keys(action.outputs).sort()).toEqual([
      'addon-errors',
      'blender-path',
      'blender-version',
      'cache-hit',
      'coverage',
      'deprecations',
      'failed',
      'failing-versions',
      'html-report',
      'leftovers',
      'log-path',
      'passed',
      'peak-memory',
      'skipped',
      'snapshot-results',
      'ui-errors',
      'ui-results',
      'versions',
    ]);
  });
});
