import { INPUTS, type InputSpec } from './config.js';

/** A YAML single-quoted scalar: only ' needs escaping, as ''. */
function quoted(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * action.yml's `inputs:` block, written from INPUTS (`npm run action-yml` puts it into
 * action.yml; test/unit/action-yml.test.ts fails when the file differs from it).
 */
export function actionInputsBlock(): string {
  const lines = ['inputs:'];
  for (const [name, spec] of Object.entries(INPUTS) as [string, InputSpec][]) {
    lines.push(`  ${name}:`, `    description: ${quoted(spec.description)}`, `    required: ${spec.required ? 'true' : 'false'}`);
    if (spec.default !== undefined) lines.push(`    default: ${quoted(spec.default)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** action.yml with its `inputs:` block (up to `outputs:`) replaced by the one INPUTS gives. */
export function withInputsBlock(actionYml: string): string {
  const start = actionYml.indexOf('\ninputs:\n');
  const end = actionYml.indexOf('\noutputs:\n');
  if (start < 0 || end < start) throw new Error('action.yml has no inputs: block before outputs:');
  return `${actionYml.slice(0, start + 1)}${actionInputsBlock()}${actionYml.slice(end)}`;
}
