#!/usr/bin/env node
import { nodeTooOld } from './node-version.js';

// The Node.js check comes before the command line's code is even loaded (a dynamic import).
const refused = nodeTooOld(process.versions.node);
if (refused) {
  process.stderr.write(`${refused}\n`);
  process.exitCode = 2;
} else {
  await import('./cli-main.js');
}
