import { ACTION_INPUTS } from './declarations.js';

/** A YAML single-quoted scalar: only ' needs escaping, as ''. */
function quoted(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * action.yml's `inputs:` block, written from the declarations (`npm run generate` puts it into
 * action.yml; test/unit/inputs/action-yml.test.ts fails when the file differs from it). No input
 * is `required`: each has a default or a way to be found (the add-on in the workspace).
 */
function actionInputsBlock(): string {
  const lines = ['inputs:'];
  for (const [name, declaration] of ACTION_INPUTS) {
    lines.push(`  ${name}:`, `    description: ${quoted(declaration.description)}`, '    required: false');
    if (declaration.default !== undefined) lines.push(`    default: ${quoted(declaration.default)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** action.yml with its `inputs:` block (up to `outputs:`) replaced by the one the declarations give. */
export function withInputsBlock(actionYml: string): string {
  const start = actionYml.indexOf('\ninputs:\n');
  const end = actionYml.indexOf('\noutputs:\n');
  if (start < 0 || end < start) throw new Error('action.yml has no inputs: block before outputs:');
  return `${actionYml.slice(0, start + 1)}${actionInputsBlock()}${actionYml.slice(end)}`;
}
