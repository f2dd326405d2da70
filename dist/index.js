import { c as commandLineOnlyGiven, s as setFailed, r as runAndReport, a as readActionInputs, A as ActionReporter, R as RunSignals, n as notice, e as error, E as ExitCode, b as errorMessage } from './chunks/shared.js';
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

/** The action's entry: one run, then `setFailed` with one sentence if it failed. */
async function run() {
    const refused = commandLineOnlyGiven();
    if (refused) {
        setFailed(refused);
        return;
    }
    try {
        const outcome = await runAndReport(readActionInputs(), new ActionReporter(), {
            source: { surface: 'action', env: process.env },
            cancellation: new RunSignals(),
        });
        if (outcome.skipped)
            notice(`Skipped: ${outcome.skipped}`);
        if (outcome.ok)
            return;
        const failure = outcome.failure ?? 'The run failed.';
        if (!outcome.failureAt) {
            setFailed(failure);
            return;
        }
        // A problem in the user's own file (a manifest key): the annotation sits on its line.
        const { file, line, column } = outcome.failureAt;
        error(failure, { title: 'blender-bg-action', file, startLine: line, startColumn: column });
        process.exitCode = ExitCode.Failure;
    }
    catch (error) {
        // Our bug, not the user's: the stack is what a maintainer needs.
        setFailed(`blender-bg-action failed unexpectedly: ${errorMessage(error)}\n${error?.stack ?? ''}`);
    }
}
await run();
