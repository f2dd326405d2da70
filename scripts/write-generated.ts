/**
 * `npm run generate`: writes the files derived from the code — action.yml's inputs and
 * docs/reference/inputs.md from the input declarations (src/inputs/declarations.ts), and
 * probe.schema.json and docs/reference/probe-format.md from the probe format's zod schema. A unit test fails on each when it drifts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withInputsBlock } from '../src/inputs/action-yml.js';
import { inputsReferencePage } from '../src/inputs/reference-page.js';
import { probeJsonSchemaText } from '../src/probes/json-schema.js';
import { probeFormatReferencePage } from '../src/probes/reference-page.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const written: [string, (current: string) => string][] = [
  ['action.yml', withInputsBlock],
  ['docs/reference/inputs.md', () => inputsReferencePage()],
  ['probe.schema.json', () => probeJsonSchemaText()],
  ['docs/reference/probe-format.md', () => probeFormatReferencePage()],
];
for (const [file, write] of written) {
  const full = path.join(root, file);
  await writeFile(full, write(await readFile(full, 'utf8')));
  process.stdout.write(`wrote ${file}\n`);
}
