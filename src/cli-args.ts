import { parseArgs } from 'node:util';
import { INPUTS, type InputName, type InputSpec, type RawInputs } from './config.js';

const inputs = Object.entries(INPUTS) as [InputName, InputSpec][];

/** Every flag but --help takes a value: the inputs, and --junit (short for --junit-path). */
const VALUE_FLAGS = new Set([...inputs.map(([name]) => `--${name}`), '--junit']);

export function usage(): string {
  const rows = inputs.map(([name, spec]) => {
    const flag = `--${name} ${spec.list ? '<value>...' : '<value>'}`;
    const extra = [spec.required ? 'required' : undefined, spec.default ? `default: ${spec.default}` : undefined, spec.list ? 'repeatable' : undefined]
      .filter(Boolean)
      .join(', ');
    return `  ${flag.padEnd(34)} ${spec.description}${extra ? ` (${extra})` : ''}`;
  });
  return [
    'Usage: blender-bg-action --addon <path> [--port <n>] [--probes <glob>...] [options]',
    "       blender-bg-action versions '>=3.6 lts, latest, daily' [--mirror <url>...]",
    "       blender-bg-action report 'results/*.json' [more result files...] [--junit <file>]",
    '',
    'Runs an addon in headless Blender, probes its port with JSON, and checks that',
    'Blender stops cleanly. Options are the GitHub Action inputs, as flags:',
    '',
    ...rows,
    '  --junit <file>                     Same as --junit-path.',
    '  --help                             Show this help.',
    '',
    'A value may start with "-": --blender-args --online-mode (or --blender-args=--online-mode).',
  ].join('\n');
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

/** The command line as inputs, or 'help'. Throws parseArgs's own sentence for a bad flag. */
export function parseCommandLine(argv: string[]): RawInputs | 'help' {
  // `blender-bg-action versions '>=3.6 lts, latest'`: the matrix mode, as a subcommand.
  if (argv[0] === 'versions') {
    const [, list, ...flags] = argv;
    if (list === undefined || list.startsWith('--')) throw new Error("versions needs a list, e.g. versions '>=3.6 lts, latest, daily'");
    const raw = parseCommandLine(flags);
    return raw === 'help' ? raw : { ...raw, mode: 'versions', versions: list };
  }
  // `blender-bg-action report 'results/*.json' ...`: the matrix's result files, as a subcommand.
  if (argv[0] === 'report') {
    const firstFlag = argv.findIndex((arg, i) => i > 0 && arg.startsWith('--'));
    const patterns = argv.slice(1, firstFlag < 0 ? undefined : firstFlag);
    if (patterns.length === 0) throw new Error("report needs result files, e.g. report 'results/*.json'");
    const raw = parseCommandLine(argv.slice(1 + patterns.length));
    return raw === 'help' ? raw : { ...raw, mode: 'report', results: patterns };
  }
  // Every flag may repeat: list inputs collect, single ones keep the last (config.ts).
  const options = Object.fromEntries(inputs.map(([name]) => [name, { type: 'string' as const, multiple: true }]));
  const { values } = parseArgs({
    args: joinFlagValues(argv),
    options: { ...options, junit: { type: 'string', multiple: true }, help: { type: 'boolean' } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const given = values as Record<string, string[] | undefined>;
  given['junit-path'] ??= given['junit']; // the short spelling
  const raw: RawInputs = {};
  for (const [name] of inputs) {
    const value = given[name];
    if (value) raw[name] = value;
  }
  return raw;
}
