import { parseArgs } from 'node:util';
import { DECLARED, INPUT_GROUPS, type InputDeclaration, type InputName, type RawInputs } from './declarations.js';

/** Every spelling of an input's flag: its name, then its aliases (--junit-path, --junit). */
function spellings([name, declaration]: [InputName, InputDeclaration]): string[] {
  return [name, ...(declaration.aliases ?? [])];
}

/** The flags that take a value: every input's but a switch's (--watch), in every spelling. */
const VALUE_FLAGS = new Set(DECLARED.filter(([, d]) => !d.switch).flatMap((entry) => spellings(entry).map((flag) => `--${flag}`)));

/** Wraps `text` to `width` columns, every line after the first indented by `indent`. */
export function wrap(text: string, width: number, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width - (lines.length === 0 ? 0 : indent)) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : `${' '.repeat(indent)}${l}`));
}

/**
 * A command line folded before its flags (and [optional parts]) to fit `width`: the first line
 * after `prefix`, the others after `indent`, each break ending in `breakMark` (" \\" for a
 * command a shell reads whole). Quoted arguments stay in one piece: only spaces before a flag break.
 */
function foldCommand(command: string, width: number, prefix: string, indent: string, breakMark = ''): string[] {
  const parts = command.split(/ (?=--|\[)/);
  const lines: string[] = [];
  let line = `${prefix}${parts[0]}`;
  for (const part of parts.slice(1)) {
    if (line.length + 1 + part.length + breakMark.length > width) {
      lines.push(`${line}${breakMark}`);
      line = `${indent}${part}`;
    } else {
      line = `${line} ${part}`;
    }
  }
  return [...lines, line];
}

const EXAMPLES = [
  ["In an add-on's repository, nothing named: its one add-on, tests/ and tests/probes/*.json are found:", 'blender-bg-action'],
  [
    'Run the example add-on on the Blender on PATH, probing its port:',
    "blender-bg-action --addon examples/echo-addon/echo_addon --port 6688 --probes 'examples/echo-addon/probes/*.json'",
  ],
  [
    "Download Blender 4.2 (verified, cached) and run an add-on's own tests inside it:",
    'blender-bg-action --blender-version 4.2 --addon ./my_addon --tests tests/ --python-packages pytest',
  ],
  ['The newest release of every LTS series from 3.6 on, for a CI matrix:', "blender-bg-action versions '>=3.6 lts, latest'"],
];

/**
 * --help: the flags grouped by what they are about (Blender, add-on, session, probes, tests,
 * reports, modes), each description wrapped to `width` (the terminal's, 80 elsewhere), then
 * four examples.
 */
export function usage(width = 80): string {
  const flagWidth = 30;
  const synopsis = (command: string, prefix: string) => foldCommand(command, width, prefix, ' '.repeat(prefix.length + 'blender-bg-action '.length));
  const out = [
    ...synopsis('blender-bg-action [--addon <path>] [--port <n>] [--probes <glob>...] [--tests <glob>...] [options]', 'Usage: '),
    ...synopsis("blender-bg-action versions '>=3.6 lts, latest, daily' [--mirror <url>...]", '       '),
    ...synopsis("blender-bg-action report 'results/*.json' [more result files...] [--junit <file>]", '       '),
    ...synopsis('blender-bg-action show-report [folder]', '       '),
    '',
    ...wrap(
      'Runs an add-on in headless Blender kept alive as a server: its own tests inside, JSON probes against its port, and a check that Blender stops cleanly. The options are the GitHub Action\'s inputs, as flags. show-report serves the HTML report (html-report) on localhost and opens it. List flags repeat (--probes a.json --probes b.json); a value may start with "-" (--blender-args --online-mode).',
      width,
      0,
    ),
  ];
  for (const group of INPUT_GROUPS) {
    out.push('', `${group}:`);
    for (const entry of DECLARED.filter(([, d]) => d.group === group)) {
      const [, declaration] = entry;
      const flag = `  --${entry[0]}${declaration.switch ? '' : declaration.list ? ' <value>...' : ' <value>'}`;
      const fallback = declaration.cliDefault ?? declaration.default;
      const shownDefault = fallback !== undefined && !declaration.switch ? ` (default: ${fallback})` : '';
      const aliases = (declaration.aliases ?? []).map((alias) => ` Also --${alias}.`).join('');
      const text = `${declaration.description}${shownDefault}${aliases}`;
      const [first, ...rest] = wrap(text, width - flagWidth - 1, 0);
      if (flag.length < flagWidth) out.push(`${flag.padEnd(flagWidth)} ${first}`);
      else out.push(flag, `${' '.repeat(flagWidth)} ${first}`);
      for (const line of rest) out.push(`${' '.repeat(flagWidth)} ${line}`);
    }
  }
  out.push('', 'Other:', `${'  --version'.padEnd(flagWidth)} Print the version.`, `${'  --help'.padEnd(flagWidth)} Show this help.`);
  out.push('', 'Examples:');
  for (const [what, command] of EXAMPLES)
    out.push(...wrap(what!, width - 2, 0).map((l) => `  ${l}`), ...foldCommand(command!, width, '    ', '        ', ' \\'), '');
  return out.join('\n').trimEnd();
}

/**
 * `--flag value` → `--flag=value` for every flag that takes a value, so a value that starts
 * with "-" (`--blender-args --online-mode`) is the flag's value, not a flag of its own
 * (node's parseArgs refuses it as "ambiguous" otherwise).
 */
export function joinFlagValues(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (VALUE_FLAGS.has(token) && i + 1 < argv.length) joined.push(`${token}=${argv[++i]}`);
    else joined.push(token);
  }
  return joined;
}

/** The command line as inputs, or 'help' / 'version'. Throws parseArgs's own sentence for a bad flag. */
export function parseCommandLine(argv: string[]): RawInputs | 'help' | 'version' {
  // `blender-bg-action versions '>=3.6 lts, latest'`: the matrix mode, as a subcommand.
  if (argv[0] === 'versions') {
    const [, list, ...flags] = argv;
    if (list === undefined || list.startsWith('--')) throw new Error("versions needs a list, e.g. versions '>=3.6 lts, latest, daily'");
    const raw = parseCommandLine(flags);
    return typeof raw === 'string' ? raw : { ...raw, mode: 'versions', versions: list };
  }
  // `blender-bg-action report 'results/*.json' ...`: the matrix's result files, as a subcommand.
  if (argv[0] === 'report') {
    const firstFlag = argv.findIndex((arg, i) => i > 0 && arg.startsWith('--'));
    const patterns = argv.slice(1, firstFlag < 0 ? undefined : firstFlag);
    if (patterns.length === 0) throw new Error("report needs result files, e.g. report 'results/*.json'");
    const raw = parseCommandLine(argv.slice(1 + patterns.length));
    return typeof raw === 'string' ? raw : { ...raw, mode: 'report', results: patterns };
  }
  // Every flag may repeat: list inputs collect, single ones keep the last (config.ts).
  const options = Object.fromEntries(
    DECLARED.flatMap((entry) =>
      spellings(entry).map((flag) => [flag, entry[1].switch ? { type: 'boolean' as const } : { type: 'string' as const, multiple: true }]),
    ),
  );
  const { values } = parseArgs({
    args: joinFlagValues(argv),
    options: { ...options, help: { type: 'boolean' }, version: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  if (values.version) return 'version';
  const given = values as Record<string, string[] | boolean | undefined>;
  const raw: RawInputs = {};
  for (const entry of DECLARED) {
    const value = spellings(entry)
      .map((flag) => given[flag])
      .flatMap((v) => (v === undefined ? [] : v === true ? ['true'] : v === false ? [] : v));
    if (value.length > 0) raw[entry[0]] = value;
    else if (entry[1].cliDefault !== undefined) raw[entry[0]] = [entry[1].cliDefault];
  }
  return raw;
}
