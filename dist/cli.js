#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { C as ConsoleReporter, e as errorMessage, r as runAndReport, a as abortOnSignals, I as INPUTS } from './chunks/shared.js';
import 'net';
import 'tls';
import 'http';
import 'https';
import 'events';
import 'assert';
import 'util';
import 'node:assert';
import 'node:net';
import 'node:http';
import 'node:stream';
import 'node:buffer';
import 'node:querystring';
import 'node:events';
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
import 'path';
import 'child_process';
import 'fs';
import 'node:stream/promises';
import 'node:os';
import 'node:process';
import 'tty';
import 'url';
import 'stream';
import 'node:https';
import 'node:crypto';
import 'node:path';
import 'node:timers/promises';
import 'node:fs/promises';
import 'crypto';
import 'os';
import 'node:child_process';
import 'node:string_decoder';
import 'node:tty';
import 'node:v8';
import 'node:fs';
import 'buffer';
import 'node:module';
import 'module';
import 'timers';

const inputs = Object.entries(INPUTS);
function usage() {
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
function parseCommandLine(argv) {
    // `blender-bg-action versions '>=3.6 lts, latest'`: the matrix mode, as a subcommand.
    if (argv[0] === 'versions') {
        const [, list, ...flags] = argv;
        if (list === undefined || list.startsWith('--'))
            throw new Error("versions needs a list, e.g. versions '>=3.6 lts, latest, daily'");
        const raw = parseCommandLine(flags);
        return raw === 'help' ? raw : { ...raw, mode: 'versions', versions: list };
    }
    // Every flag may repeat: list inputs collect, single ones keep the last (config.ts).
    const options = Object.fromEntries(inputs.map(([name]) => [name, { type: 'string', multiple: true }]));
    const { values } = parseArgs({
        args: argv,
        options: { ...options, junit: { type: 'string', multiple: true }, help: { type: 'boolean' } },
        strict: true,
        allowPositionals: false,
    });
    if (values.help)
        return 'help';
    const given = values;
    given['junit-path'] ??= given['junit']; // the short spelling
    const raw = {};
    for (const [name] of inputs) {
        const value = given[name];
        if (value)
            raw[name] = value;
    }
    return raw;
}
async function main() {
    const reporter = new ConsoleReporter();
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
        process.stdout.write(`${usage()}\n`);
        return 0;
    }
    const outcome = await runAndReport(raw, reporter, abortOnSignals());
    return outcome.ok ? 0 : 1;
}
process.exitCode = await main();
