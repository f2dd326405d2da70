#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { abortOnSignals } from './cancel.js';
import { INPUTS, type InputName, type InputSpec, type RawInputs } from './config.js';
import { errorMessage } from './errors.js';
import { ConsoleReporter } from './report/console-reporter.js';
import { runAndReport } from './run-and-report.js';

const inputs = Object.entries(INPUTS) as [InputName, InputSpec][];

function usage(): string {
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
    '',
    'Runs an addon in headless Blender, probes its port with JSON, and checks that',
    'Blender stops cleanly. Options are the GitHub Action inputs, as flags:',
    '',
    ...rows,
    '  --junit <file>                     Same as --junit-path.',
    '  --help                             Show this help.',
  ].join('\n');
}

function parseCommandLine(argv: string[]): RawInputs | 'help' {
  // `blender-bg-action versions '>=3.6 lts, latest'`: the matrix mode, as a subcommand.
  if (argv[0] === 'versions') {
    const [, list, ...flags] = argv;
    if (list === undefined || list.startsWith('--')) throw new Error("versions needs a list, e.g. versions '>=3.6 lts, latest, daily'");
    const raw = parseCommandLine(flags);
    return raw === 'help' ? raw : { ...raw, mode: 'versions', versions: list };
  }
  // Every flag may repeat: list inputs collect, single ones keep the last (config.ts).
  const options = Object.fromEntries(inputs.map(([name]) => [name, { type: 'string' as const, multiple: true }]));
  const { values } = parseArgs({
    args: argv,
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

async function main(): Promise<number> {
  const reporter = new ConsoleReporter();
  let raw: RawInputs | 'help';
  try {
    raw = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    // parseArgs's own words name the flag: "Unknown option '--prot'".
    process.stderr.write(`${errorMessage(error)}. Run with --help for the options.\n`);
    return 2;
  }
  if (raw === 'help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const outcome = await runAndReport(raw, reporter, abortOnSignals());
  return outcome.ok ? 0 : 1;
}

process.exitCode = await main();
