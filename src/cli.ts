#!/usr/bin/env node
import { RunSignals } from './cancel.js';
import { parseCommandLine, usage } from './cli-args.js';
import type { RawInputs } from './config.js';
import { errorMessage } from './errors.js';
import { toolVersion } from './package-files.js';
import { ConsoleReporter } from './report/console-reporter.js';
import { runAndReport } from './run-and-report.js';

async function main(): Promise<number> {
  // --quiet is the terminal's own (no progress lines), not an input of the action.
  const argv = process.argv.slice(2);
  const reporter = new ConsoleReporter(process.stdout, argv.includes('--quiet'));
  let raw: RawInputs | 'help' | 'version';
  try {
    raw = parseCommandLine(argv.filter((arg) => arg !== '--quiet'));
  } catch (error) {
    // parseArgs's own words name the flag: "Unknown option '--prot'".
    process.stderr.write(`${errorMessage(error)}. Run with --help for the options.\n`);
    return 2;
  }
  if (raw === 'help') {
    process.stdout.write(`${usage(process.stdout.isTTY ? process.stdout.columns : 80)}\n`);
    return 0;
  }
  if (raw === 'version') {
    process.stdout.write(`blender-bg-action ${toolVersion()}\n`);
    return 0;
  }
  const outcome = await runAndReport(raw, reporter, new RunSignals());
  return outcome.ok ? 0 : 1;
}

process.exitCode = await main();
