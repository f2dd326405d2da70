/** `npm run schema`: writes probe.schema.json from the zod schema (src/probes/schema.ts). */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeJsonSchemaText } from '../src/probes/json-schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
await writeFile(path.join(root, 'probe.schema.json'), probeJsonSchemaText());
process.stdout.write('wrote probe.schema.json\n');
