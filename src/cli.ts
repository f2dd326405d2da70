#!/usr/bin/env node
import { abortOnSignals } from './cancel.js';
import { parseCommandLine, usage } from './cli-args.js';
import type { RawInputs } from './config.js';
import { errorMessage } from './errors.js';
import { ConsoleReporter } from './report/console-reporter.js';
import { runAndReport } from './run-and-report.js';

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
