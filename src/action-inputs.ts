import * as core from '@actions/core';
import { INPUTS, type InputName, type RawInputs } from './config.js';

/** Reads every declared input from the action's environment; empty means "not given". */
export function readActionInputs(): RawInputs {
  const raw: RawInputs = {};
  for (const [name, spec] of Object.entries(INPUTS) as [InputName, { list?: boolean }][]) {
    const value = spec.list ? core.getMultilineInput(name) : core.getInput(name);
    if (value.length > 0) raw[name] = value;
  }
  return raw;
}
