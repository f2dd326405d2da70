/** `npm run action-yml`: writes action.yml's inputs from INPUTS (src/config.ts). */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withInputsBlock } from '../src/action-yml.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const file = path.join(root, 'action.yml');
await writeFile(file, withInputsBlock(await readFile(file, 'utf8')));
process.stdout.write('wrote action.yml\n');
