#!/usr/bin/env node
import { RunSignals } from './cancel.js';
import { parseCommandLine, usage } from './cli-args.js';
import type { RawInputs } from './config.js';
import { errorMessage } from './errors.js';
import { toolVersion } from './package-files.js';
import { ConsoleReporter } from './report/console-reporter.js';
import { runAndReport } from './run-and-report.js';
import { watchRunner } from './watch/watch-session.js';

async function main(): Promise<number> {
  // A closed terminal or a reader gone (`| head`): what is left to write is lost, but Blender must
  // still be stopped and checked, not left running by a write that throws.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  // --quiet is the terminal's own (no progress lines), not an input of the action.
  const argv = process.argv.slice(2);
  const reporter = new ConsoleReporter(process.stdout, argv.includes('--quiet'));
  // --watch too: a terminal's way of running, with no meaning in a CI job.
  const watch = argv.includes('--watch');
  let raw: RawInputs | 'help' | 'version';
  try {
    raw = parseCommandLine(argv.filter((arg) => arg !== '--quiet' && arg !== '--watch'));
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
  const outcome = await runAndReport(raw, reporter, new RunSignals(), watch ? watchRunner(process.stdin) : undefined);
  return outcome.ok ? 0 : 1;
}

process.exitCode = await main();
