import * as core from '@actions/core';
import { ACTION_INPUTS, DECLARED, type RawInputs } from './declarations.js';

/** Reads every input action.yml declares from the action's environment; empty means "not given". */
export function readActionInputs(): RawInputs {
  const raw: RawInputs = {};
  for (const [name, declaration] of ACTION_INPUTS) {
    const value = declaration.list ? core.getMultilineInput(name) : core.getInput(name);
    if (value.length > 0) raw[name] = value;
  }
  return raw;
}

/** A command-line-only input given in `with:` (watch, quiet): the sentence that refuses it, or undefined. */
export function commandLineOnlyGiven(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const given = DECLARED.find(([name, d]) => d.only === 'cli' && env[`INPUT_${name.toUpperCase()}`]?.trim());
  if (!given) return undefined;
  const [name] = given;
  if (name === 'watch') return "Input 'watch' is for the command line (npx blender-bg-action --watch): a CI job has no one to save files or press keys.";
  return `Input '${name}' is for the command line (npx blender-bg-action --${name}): the action has no such input.`;
}
