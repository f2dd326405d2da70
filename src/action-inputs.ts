import * as core from '@actions/core';
import { INPUTS, type InputName, type RawInputs } from './config.js';

/**
 * The Blender the action runs when neither blender-version nor blender-path is given:
 * GitHub's runners have no Blender, so a bare `uses:` downloads the newest LTS. (The CLI's
 * default stays the Blender on PATH: a developer's machine has one.) It is not action.yml's
 * default, which could not tell "not given" from "lts" when blender-path is set.
 */
export const ACTION_DEFAULT_BLENDER = 'lts';

/** Reads every declared input from the action's environment; empty means "not given". */
export function readActionInputs(): RawInputs {
  const raw: RawInputs = {};
  for (const [name, spec] of Object.entries(INPUTS) as [InputName, { list?: boolean }][]) {
    const value = spec.list ? core.getMultilineInput(name) : core.getInput(name);
    if (value.length > 0) raw[name] = value;
  }
  const versionsMode = raw.mode === 'versions';
  if (!versionsMode && raw['blender-version'] === undefined && raw['blender-path'] === undefined) raw['blender-version'] = ACTION_DEFAULT_BLENDER;
  return raw;
}
