import { RunSignals } from './cancel.js';
import { parseCommandLine, usage } from './inputs/cli-args.js';
import type { RawInputs } from './inputs/declarations.js';
import { errorMessage } from './errors.js';
import { toolVersion } from './package-files.js';
import { ConsoleReporter } from './report/console-reporter.js';
import { showReport } from './html-report/show-report.js';
import { runAndReport } from './run-and-report.js';
import { watchRunner } from './watch/watch-session.js';

async function main(): Promise<number> {
  // A closed terminal or a reader gone (`| head`): what is left to write is lost, but Blender must
  // still be stopped and checked, not left running by a write that throws.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  if (process.argv[2] === 'show-report') {
    const stop = new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    return showReport(process.argv.slice(3), (line) => process.stdout.write(`${line}\n`), stop);
  }
  let raw: RawInputs | 'help' | 'version';
  try {
    raw = parseCommandLine(process.argv.slice(2));
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
  // --quiet and --watch are the command line's own inputs (a terminal's way of running).
  const reporter = new ConsoleReporter(process.stdout, raw.quiet !== undefined);
  const outcome = await runAndReport(raw, reporter, {
    source: { surface: 'cli', env: process.env },
    cancellation: new RunSignals(),
    runnerFor: (config) => (config.watch ? watchRunner(process.stdin) : undefined),
  });
  return outcome.ok ? 0 : 1;
}

process.exitCode = await main();
