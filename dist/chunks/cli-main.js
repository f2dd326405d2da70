import { d as showReport, p as parseCommandLine, b as errorMessage, u as usage, t as toolVersion, C as ConsoleReporter, r as runAndReport, R as RunSignals, w as watchRunner } from './shared.js';
import 'node:os';
import 'node:util';
import 'child_process';
import 'path';
import 'fs';
import 'node:events';
import 'node:stream/promises';
import 'node:path';
import 'node:fs';
import 'node:fs/promises';
import 'node:http';
import 'util';
import 'stream';
import 'zlib';
import 'assert';
import 'buffer';
import 'net';
import 'tls';
import 'http';
import 'https';
import 'events';
import 'node:assert';
import 'node:net';
import 'node:stream';
import 'node:buffer';
import 'node:querystring';
import 'node:diagnostics_channel';
import 'node:tls';
import 'node:zlib';
import 'node:perf_hooks';
import 'node:util/types';
import 'node:worker_threads';
import 'node:url';
import 'node:async_hooks';
import 'node:console';
import 'node:dns';
import 'string_decoder';
import 'node:process';
import 'tty';
import 'os';
import 'url';
import 'node:https';
import 'node:crypto';
import 'node:timers/promises';
import 'crypto';
import 'node:module';
import 'module';
import 'fs/promises';
import 'timers';
import 'node:child_process';
import 'node:string_decoder';
import 'node:tty';
import 'node:v8';

async function main() {
    // A closed terminal or a reader gone (`| head`): what is left to write is lost, but Blender must
    // still be stopped and checked, not left running by a write that throws.
    for (const stream of [process.stdout, process.stderr])
        stream.on('error', () => { });
    if (process.argv[2] === 'show-report') {
        const stop = new Promise((resolve) => {
            process.once('SIGINT', resolve);
            process.once('SIGTERM', resolve);
        });
        return showReport(process.argv.slice(3), (line) => process.stdout.write(`${line}\n`), stop);
    }
    let raw;
    try {
        raw = parseCommandLine(process.argv.slice(2));
    }
    catch (error) {
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
