import { DECLARED, DEFAULT_BLENDER, INPUT_GROUPS, type InputDeclaration, type InputName } from './declarations.js';

/** A table cell: one line, its pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

function defaultCell(name: InputName, declaration: InputDeclaration): string {
  if (name === 'blender-version') return `action: \`${DEFAULT_BLENDER.action}\`; CLI: \`${DEFAULT_BLENDER.cli}\``;
  if (declaration.cliDefault !== undefined) return `action: none; CLI: \`${declaration.cliDefault}\``;
  if (declaration.switch || declaration.default === undefined) return '';
  return `\`${declaration.default}\``;
}

function flagCell(name: InputName, declaration: InputDeclaration): string {
  const flags = [name, ...(declaration.aliases ?? [])].map((f) => `--${f}`);
  const value = declaration.switch ? '' : declaration.list ? ' <value>…' : ' <value>';
  return flags.map((f) => `\`${f}${value}\``).join(', ');
}

/**
 * docs/reference/inputs.md, written from the declarations (`npm run generate`;
 * test/unit/inputs/reference-page.test.ts fails when the page differs).
 */
export function inputsReferencePage(): string {
  const out = [
    '# Inputs',
    '',
    '<!-- Written by `npm run generate` from src/inputs/declarations.ts: change an input there, not here. -->',
    '',
    '`npx blender-bg-action --help` lists the same flags by group, wrapped to the terminal, with',
    'examples; `--version` prints the version.',
    '',
    'Every input of the action is also a command-line flag of the same name (`--port 6688`); list',
    "inputs are lines in the action and repeat on the command line (`--probes a.json --probes 'b/*.json'`).",
    'A value may start with `-`: `--blender-args --online-mode` and `--blender-args=--online-mode` both',
    'work. Durations take units (`500ms`, `5s`, `2m`); a bare number means seconds, except for',
    '`pump-interval`, where it means milliseconds. No input is required: the add-on, its tests and its',
    'probe files are found in the workspace when not named.',
  ];
  for (const group of INPUT_GROUPS) {
    out.push('', `## ${group}`, '', '| input | default | flag | what it is |', '|---|---|---|---|');
    for (const [name, declaration] of DECLARED.filter(([, d]) => d.group === group)) {
      const where = declaration.only === 'cli' ? ' (command line only)' : '';
      const guide = declaration.guide ? ` See [${declaration.guide.replace(/\.md$/, '')}](../guides/${declaration.guide}).` : '';
      out.push(`| \`${name}\`${where} | ${defaultCell(name, declaration)} | ${flagCell(name, declaration)} | ${cell(declaration.description)}${guide} |`);
    }
  }
  return `${out.join('\n')}\n`;
}
