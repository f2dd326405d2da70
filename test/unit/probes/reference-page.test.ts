import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { probeFormatReferencePage } from '../../../src/probes/reference-page.js';
import { STEP_KIND_NAMES } from '../../../src/probes/steps/registry.js';

const page = readFileSync(new URL('../../../docs/reference/probe-format.md', import.meta.url), 'utf8');

describe('docs/reference/probe-format.md', () => {
  it('is what `npm run generate` writes from the zod schema (run it after changing the format)', () => {
    expect(page).toBe(probeFormatReferencePage());
  });

  it('has a section per step kind and the keys their schemas describe', () => {
    const text = probeFormatReferencePage();
    for (const kind of STEP_KIND_NAMES) expect(text).toContain(`## \`${kind}\` steps`);
    expect(text).toMatch(/\| `method` \| one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`, `OPTIONS` \|/);
    expect(text).toMatch(/\| `steps` \| array of object \| yes \|/);
    expect(text).toMatch(/\| `timeout` \| duration \("500ms", "2s", "1m"\) or milliseconds \| {2}\| Per attempt\. Default: the probe-timeout input\. \|/);
  });
});
