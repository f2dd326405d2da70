import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DECLARED } from '../../../src/inputs/declarations.js';
import { inputsReferencePage } from '../../../src/inputs/reference-page.js';

const page = readFileSync(new URL('../../../docs/reference/inputs.md', import.meta.url), 'utf8');

describe('docs/reference/inputs.md', () => {
  it('is what `npm run generate` writes from the declarations (run it after changing an input)', () => {
    expect(page).toBe(inputsReferencePage());
  });

  it('has a row for every input, with its default, and names the command-line-only ones', () => {
    const rows = inputsReferencePage()
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    expect(rows.map((row) => /^\| `([\w-]+)`/.exec(row)![1]).sort()).toEqual(DECLARED.map(([name]) => name).sort());
    expect(rows.find((r) => r.startsWith('| `pump-interval`'))).toContain('| `10ms` |');
    expect(rows.find((r) => r.startsWith('| `watch`'))).toContain('(command line only)');
    expect(rows.find((r) => r.startsWith('| `junit-path`'))).toContain('`--junit <value>`');
    expect(rows.find((r) => r.startsWith('| `blender-version`'))).toContain('action: `lts`; CLI: `system`');
  });
});
