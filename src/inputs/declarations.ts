import { parseArgsStringToArgv } from 'string-argv';
import { z } from 'zod';
import type { OnlineAccessSetting } from '../blender/invocation.js';
import { parseBytes } from '../bytes.js';
import { parseTestScript } from '../addon-tests/test-script.js';
import { parseShard } from '../shards/plan.js';
import { UPDATE_SNAPSHOTS, type UpdateSnapshots } from '../snapshots/baseline.js';
import { UI_CHECK_SETTINGS } from '../ui-check/plan.js';
import { PYTHON_DOTTED_NAME, boolean, duration, envLines, lines, oneOf, optionalDuration, optionalParsed, optionalText, port, text } from './values.js';

/** What an input is about: --help and the inputs page list them by these, in this order. */
export const INPUT_GROUPS = ['Blender', 'Add-on', 'Session', 'Probes', 'Tests', 'Add-on health', 'Reports', 'Modes'] as const;
type InputGroup = (typeof INPUT_GROUPS)[number];

/**
 * One input, declared once. Everything else is derived from these: the RunConfig type and its
 * parsing (config.ts), the CLI's flags and --help (cli-args.ts), action.yml's inputs
 * (action-yml.ts), the action's reading of them (action-inputs.ts) and
 * docs/reference/inputs.md (reference-page.ts); test/unit/inputs/ fails when a written file drifts.
 */
export interface InputDeclaration<K extends string = string, S extends z.ZodType = z.ZodType> {
  /** the RunConfig field the parsed value goes to */
  readonly key: K;
  readonly group: InputGroup;
  readonly description: string;
  /** the value when not given (what action.yml declares; --help and the page show it) */
  readonly default?: string;
  /** the terminal command's value when its flag is not given, where the action has none (html-report: a folder, as Playwright writes one) */
  readonly cliDefault?: string;
  /** newline-separated lines in the action, a repeated flag on the CLI */
  readonly list?: boolean;
  /** where it exists: the CLI only (a terminal's way of running), or both (the default) */
  readonly only?: 'cli';
  /** a CLI flag without a value (--watch): given, or not */
  readonly switch?: boolean;
  /** other spellings of the flag (--junit) */
  readonly aliases?: readonly string[];
  /** the guide (docs/guides/<file>) that shows the input at work */
  readonly guide?: string;
  /** the value's shape and the sentence for a bad one; its output is the RunConfig field's type */
  readonly schema: S;
}

function input<const K extends string, S extends z.ZodType>(declaration: InputDeclaration<K, S>): InputDeclaration<K, S> {
  return declaration;
}

/**
 * The Blender the action runs when neither blender-version nor blender-path is given:
 * GitHub's runners have no Blender, so a bare `uses:` downloads the newest LTS. The CLI's
 * is the Blender on PATH (a developer's machine has one). Not action.yml's default, which could
 * not tell "not given" from "lts" when blender-path is set.
 */
export const DEFAULT_BLENDER = { action: 'lts', cli: 'system' } as const;

/** The folder the terminal command writes its HTML report to when html-report is not given (as Playwright writes playwright-report/). */
export const DEFAULT_REPORT_FOLDER = 'blender-bg-report';

export const INPUTS = {
  'blender-version': input({
    key: 'blenderVersion',
    group: 'Blender',
    description:
      'Blender to download and cache: 4.2.3, 4.2 (newest 4.2.x), latest, lts, daily, 4.5-daily (:alpha/:beta/:candidate), or system (blender on PATH). Default: lts in the action (runners have no Blender), system on the CLI.',
    guide: 'blender.md',
    schema: optionalText,
  }),
  'blender-path': input({
    key: 'blenderPath',
    group: 'Blender',
    description: 'Blender executable to run instead of downloading one: a path, or a command on PATH.',
    schema: optionalText,
  }),
  mirror: input({
    key: 'mirrors',
    group: 'Blender',
    description: 'Release mirrors to try after download.blender.org, in order: base URLs of ".../release" folders, one per line.',
    list: true,
    schema: z.array(z.string()).transform((lines, ctx) => {
      const urls = lines.map((l) => l.trim().replace(/\/+$/, '')).filter((l) => l !== '');
      const bad = urls.find((u) => !/^https?:\/\/\S+$/.test(u));
      if (bad !== undefined) {
        ctx.addIssue({ code: 'custom', message: `must be http(s) URLs, one per line, got '${bad}'` });
        return z.NEVER;
      }
      return urls;
    }),
  }),
  cache: input({
    key: 'cache',
    group: 'Blender',
    description: 'Cache downloaded Blender across runs with the Actions cache (true or false).',
    default: 'true',
    schema: boolean,
  }),
  'check-latest': input({
    key: 'checkLatest',
    group: 'Blender',
    description: 'For 4.2, latest and lts: ask the release listings for the newest match even when a cached Blender satisfies the spec (true or false).',
    default: 'false',
    schema: boolean,
  }),
  addon: input({
    key: 'addon',
    group: 'Add-on',
    description:
      'The add-on to test: a package folder, a single .py file, a .zip of either, or a Blender 4.2+ extension (a folder or .zip with blender_manifest.toml, e.g. from `blender --command extension build`). Default: the one add-on in the workspace (the root, a folder one level below it or below src/ with blender_manifest.toml or bl_info, or a .py file with bl_info); then, unless given, tests default to tests/ (or test/) and probes to tests/probes/*.json (or probes/*.json) when they are there.',
    guide: 'addon-shapes.md',
    schema: optionalText,
  }),
  'addon-module': input({
    key: 'addonModule',
    group: 'Add-on',
    description:
      'Module name to enable a legacy add-on by. Default: the folder or file name of `addon`. (An extension is bl_ext.<extension-repository>.<id>; one that also has bl_info is a legacy add-on before Blender 4.2, named by this.)',
    schema: optionalText.refine((v) => v === undefined || PYTHON_DOTTED_NAME.test(v), {
      message: 'must be a Python module name such as my_addon',
    }),
  }),
  'extension-repository': input({
    key: 'extensionRepository',
    group: 'Add-on',
    description:
      'The extension repository an extension is installed into, so Blender imports it as bl_ext.<repository>.<id>: user_default, blender_org (as installed from extensions.blender.org), or a name of your own.',
    default: 'user_default',
    schema: text.refine((v) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(v), {
      message: 'must be a repository module name such as user_default or blender_org (letters, digits and _)',
    }),
  }),
  'online-access': input({
    key: 'onlineAccess',
    group: 'Add-on',
    description:
      "Blender's online access (bpy.app.online_access, 4.2+): auto turns it on for an extension whose manifest declares [permissions] network; true or false force it for any add-on. Blenders before 4.2 have no such setting.",
    default: 'auto',
    schema: text.transform((value, ctx): OnlineAccessSetting => {
      if (/^auto$/i.test(value)) return 'auto';
      if (/^(true|yes|1|on)$/i.test(value)) return 'on';
      if (/^(false|no|0|off)$/i.test(value)) return 'off';
      ctx.addIssue({ code: 'custom', message: `must be auto, true or false, got '${value}'` });
      return z.NEVER;
    }),
  }),
  'addon-kind': input({
    key: 'addonKind',
    group: 'Add-on',
    description:
      'How an add-on with both bl_info and blender_manifest.toml is installed: auto (legacy before Blender 4.2, an extension from 4.2), legacy (under its folder name on every Blender, its manifest not checked, as a symlink into scripts/addons has it), or extension (an extension only).',
    default: 'auto',
    schema: oneOf(['auto', 'extension', 'legacy']),
  }),
  'incompatible-blender': input({
    key: 'incompatibleBlender',
    group: 'Add-on',
    description:
      "When the add-on cannot run on this Blender (an extension's blender_version_min/max, or an extension on Blender before 4.2): fail, or skip (the run passes and is reported as skipped; for a version matrix).",
    default: 'fail',
    schema: oneOf(['fail', 'skip']),
  }),
  port: input({
    key: 'port',
    group: 'Session',
    description: 'TCP port the add-on serves on; the session is ready when it accepts connections.',
    schema: port,
  }),
  host: input({
    key: 'host',
    group: 'Session',
    description: 'Host the add-on listens on (a literal address: localhost may resolve to ::1).',
    default: '127.0.0.1',
    schema: text.min(1, 'must not be empty'),
  }),
  companion: input({
    key: 'companion',
    group: 'Session',
    description:
      'A command started once Blender is ready and stopped before it (its process group: SIGTERM, then SIGKILL), e.g. an MCP bridge: `uvx blender-remote` or `node server.js --blender-port {port}`. {port} is the port input, {companion-port} the companion-port input. Its output goes to the log; exiting before teardown, or leaving a process behind, fails the run.',
    guide: 'mcp.md',
    schema: optionalText,
  }),
  'companion-env': input({
    key: 'companionEnv',
    group: 'Session',
    description:
      "Environment for the companion besides the runner's and the env input: KEY=VALUE lines, {port} and {companion-port} filled in, e.g. BLENDER_PORT={port}.",
    list: true,
    schema: envLines,
  }),
  'companion-port': input({
    key: 'companionPort',
    group: 'Session',
    description: 'The port the companion serves on (an MCP server over HTTP): the probes start once it accepts connections.',
    schema: port,
  }),
  'mcp-error-text': input({
    key: 'mcpErrorText',
    group: 'Probes',
    description: 'A tool whose text result starts with "Error" while isError is false (the client then sees a failure as a success): off, or warn.',
    default: 'off',
    schema: oneOf(['off', 'warn']),
  }),
  'update-snapshots': input({
    key: 'updateSnapshots',
    group: 'Probes',
    description:
      'Which approved images of render steps a run may write from its renders: none, missing (new ones), changed (also those that differ) or all. Default: missing, and none under CI=true (a CI run does not approve its own renders).',
    guide: 'render-snapshots.md',
    schema: optionalText.transform((value, ctx) => {
      if (value === undefined) return undefined;
      if (!(UPDATE_SNAPSHOTS as readonly string[]).includes(value)) {
        ctx.addIssue({ code: 'custom', message: `must be none, missing, changed or all, got '${value}'` });
        return z.NEVER;
      }
      return value as UpdateSnapshots;
    }),
  }),
  'snapshot-results': input({
    key: 'snapshotResults',
    group: 'Probes',
    description:
      "Where a failed render step's actual, expected and diff images go (output snapshot-results names it, to upload). Default: a folder per run beside the Blender log.",
    schema: optionalText,
  }),
  probes: input({
    key: 'probes',
    group: 'Probes',
    description: 'Probe files to run: paths or globs, one per line; !pattern excludes from all of them.',
    list: true,
    guide: 'probes.md',
    schema: lines,
  }),
  tests: input({
    key: 'tests',
    group: 'Tests',
    description: "The add-on's Python test files to run inside Blender (unittest or pytest): paths or globs, one per line; !pattern excludes.",
    list: true,
    guide: 'tests.md',
    schema: lines,
  }),
  'test-runner': input({
    key: 'testRunner',
    group: 'Tests',
    description: "auto (pytest when Blender's Python can import it, else unittest), unittest or pytest.",
    default: 'auto',
    schema: oneOf(['auto', 'unittest', 'pytest']),
  }),
  'addon-state-in-tests': input({
    key: 'addonStateInTests',
    group: 'Tests',
    description:
      'How each test file finds the add-on: auto (installed, not enabled, when the tests enable it themselves with addon_utils.enable or addon_enable, as their own loop has it; else enabled), enabled, or installed. The probes always get it enabled.',
    default: 'auto',
    guide: 'existing-tests.md',
    schema: oneOf(['auto', 'enabled', 'installed']),
  }),
  'test-script': input({
    key: 'testScript',
    group: 'Tests',
    description:
      "The suite's own runner script, run inside the kept-alive Blender as `blender -b --python SCRIPT -- ARGS` runs it: its path, then -- and its arguments (tests/runner.py -- --coverage). Its exit code is its verdict; every unittest or pytest test it runs is reported as the tests input's are.",
    guide: 'existing-tests.md',
    schema: optionalParsed(parseTestScript),
  }),
  'test-isolation': input({
    key: 'testIsolation',
    group: 'Tests',
    description:
      'Whether each test file starts from the startup scene, as a Blender per file has it: auto (before each test script; test modules share the session, as in their own unittest or pytest loop), file (before every test file) or none.',
    default: 'auto',
    guide: 'existing-tests.md',
    schema: oneOf(['auto', 'none', 'file']),
  }),
  'test-workers': input({
    key: 'testWorkers',
    group: 'Tests',
    description:
      "How many Blender sessions run the tests at once, taking files from one queue: a number, or auto (the machine's cores, never more than the files). The probes run once, after the tests.",
    default: '1',
    guide: 'tests.md',
    schema: text.transform((value, ctx) => {
      if (/^auto$/i.test(value)) return 'auto' as const;
      const count = Number(value);
      if (!Number.isInteger(count) || count < 1 || count > 64) {
        ctx.addIssue({ code: 'custom', message: `must be a number of workers from 1 to 64, or auto, got '${value}'` });
        return z.NEVER;
      }
      return count;
    }),
  }),
  'worker-env': input({
    key: 'workerEnv',
    group: 'Tests',
    description:
      'For test workers besides the first, when the add-on serves on port: KEY=VALUE lines where {port} becomes a free port for that worker (and {worker} its number), e.g. MY_ADDON_PORT={port}.',
    list: true,
    schema: envLines,
  }),
  shard: input({
    key: 'shard',
    group: 'Tests',
    description:
      "This job's share of the test files, as <index>/<total> (e.g. 2/4): files split by their durations in shard-durations (by count without them), the same plan in every job. The probes run in shard 1 only.",
    guide: 'matrix.md',
    schema: optionalParsed(
      (value) => parseShard(value) ?? `must be <index>/<total> with 1 ≤ index ≤ total (e.g. 2/4 for the second of 4 jobs), got '${value}'`,
    ),
  }),
  'shard-durations': input({
    key: 'shardDurations',
    group: 'Tests',
    guide: 'tests.md',
    description:
      "Result files of an earlier run (result-path) or a durations file (durations-path): paths or globs, one per line. For shard, each test file's measured time weighs it in the plan; with test-workers, a file they name not parallel-safe runs alone from the start.",
    list: true,
    schema: lines,
  }),
  'python-packages': input({
    key: 'pythonPackages',
    group: 'Blender',
    description:
      "Python packages for Blender's Python, installed with pip into a cached folder put on sys.path before the add-on is enabled (never into Blender itself): requirement lines such as pytest or numpy<2, or -r requirements-test.txt, one per line.",
    list: true,
    guide: 'tests.md',
    schema: z.array(z.string()).transform((lines) => lines.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))),
  }),
  'blend-file': input({
    key: 'blendFile',
    group: 'Blender',
    description: 'A .blend file Blender opens before the add-on is enabled (what `blender scene.blend --python ...` does).',
    schema: optionalText,
  }),
  startup: input({
    key: 'startup',
    group: 'Session',
    description: 'Python run inside Blender after the add-on is enabled, e.g. `bpy.ops.myaddon.start_server()`.',
    schema: optionalText,
  }),
  pump: input({
    key: 'pump',
    group: 'Session',
    description: "`module:function` the driver calls on Blender's main thread every pump-interval (an add-on's own step()).",
    schema: optionalText.refine((v) => v === undefined || /^[A-Za-z_][\w.]*:[A-Za-z_]\w*$/.test(v), {
      message: 'must be module:function, such as my_addon.server:step',
    }),
  }),
  'pump-interval': input({
    key: 'pumpIntervalMs',
    group: 'Session',
    description: 'How often the pump runs; a bare number means milliseconds.',
    default: '10ms',
    schema: duration('ms'),
  }),
  'pump-wake': input({
    key: 'pumpWake',
    group: 'Session',
    description:
      'Also run the pump the moment a server thread starts waiting for its result (true or false): requests are answered at once instead of one pump-interval later.',
    default: 'true',
    schema: boolean,
  }),
  env: input({
    key: 'env',
    group: 'Session',
    description: 'Extra environment for Blender: KEY=VALUE, one per line.',
    list: true,
    schema: envLines,
  }),
  'blender-args': input({
    key: 'blenderArgs',
    group: 'Blender',
    description: 'Extra Blender command-line arguments, placed before --python.',
    schema: optionalText.transform((v) => (v === undefined ? [] : parseArgsStringToArgv(v))),
  }),
  'startup-timeout': input({
    key: 'startupTimeoutMs',
    group: 'Session',
    description: 'How long Blender may take to become ready; a bare number means seconds.',
    default: '60s',
    schema: duration('s'),
  }),
  'probe-timeout': input({
    key: 'probeTimeoutMs',
    group: 'Probes',
    description: 'How long one probe step may take; a bare number means seconds.',
    default: '30s',
    schema: duration('s'),
  }),
  'test-timeout': input({
    key: 'testTimeoutMs',
    group: 'Tests',
    description:
      "How long one of the add-on's tests may run before it counts as hanging (Blender is then stopped and the tests after it are not run); a bare number means seconds. Default: no limit, as unittest and pytest have none.",
    schema: optionalDuration('s'),
  }),
  'shutdown-timeout': input({
    key: 'shutdownTimeoutMs',
    group: 'Session',
    description: 'How long Blender may take to exit after SIGTERM before it is killed.',
    default: '10s',
    schema: duration('s'),
  }),
  'max-reply-size': input({
    key: 'maxReplyBytes',
    group: 'Probes',
    description: 'The largest reply a probe step reads (e.g. 64MiB, 500KB); a bigger one fails the step and its connection is dropped.',
    default: '64MiB',
    schema: text.transform((value, ctx) => {
      const bytes = parseBytes(value);
      if (bytes === undefined || bytes < 1) {
        ctx.addIssue({ code: 'custom', message: `must be a size such as 64MiB, 500KB or 1048576 (bytes), got '${value}'` });
        return z.NEVER;
      }
      return bytes;
    }),
  }),
  'junit-path': input({
    key: 'junitPath',
    group: 'Reports',
    description: 'Write a JUnit XML report here (one testsuite per probe file, one testcase per step; mode: report, one per Blender version).',
    aliases: ['junit'],
    schema: optionalText,
  }),
  'html-report': input({
    key: 'htmlReport',
    group: 'Reports',
    description:
      'A folder to write the run as one HTML page (index.html, with its pictures beside it), opened from a downloaded artifact with no server: every test and probe step, what failed with its file and line, health, deprecations, render snapshots, the UI. mode: report writes the matrix. Output html-report names it. Off in the action unless named.',
    cliDefault: DEFAULT_REPORT_FOLDER,
    guide: 'html-report.md',
    schema: optionalText,
  }),
  coverage: input({
    key: 'coverage',
    group: 'Tests',
    description:
      "Measure the add-on's own files with coverage.py for the whole session (import, register, tests, probes, unregister; every thread), branches included (true or false). Blender's Python must be able to import coverage (python-packages: coverage).",
    default: 'false',
    guide: 'coverage.md',
    schema: boolean,
  }),
  'coverage-path': input({
    key: 'coveragePath',
    group: 'Tests',
    description: 'Where the coverage report goes: Cobertura XML, or LCOV for a path ending in .lcov or .info.',
    default: 'coverage.xml',
    schema: text.min(1, 'must not be empty'),
  }),
  'coverage-min': input({
    key: 'coverageMin',
    group: 'Tests',
    description: "The lowest line coverage (percent) of the add-on's files that passes; below it the run fails.",
    schema: optionalText.transform((value, ctx) => {
      if (value === undefined) return undefined;
      const percent = Number(value.replace(/%$/, ''));
      if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
        ctx.addIssue({ code: 'custom', message: `must be a percentage from 0 to 100, such as 80, got '${value}'` });
        return z.NEVER;
      }
      return percent;
    }),
  }),
  'result-path': input({
    key: 'resultPath',
    group: 'Reports',
    description:
      "Write the run's result file here: JSON with everything the run decided (Blender, every test and step, the session, deprecations), for mode: report. Written whatever happened.",
    guide: 'matrix.md',
    schema: optionalText,
  }),
  deprecations: input({
    key: 'deprecations',
    group: 'Reports',
    description:
      "Deprecation warnings the add-on's own lines raise (and Blender's deprecation notices): warn (listed in the reports, with warning annotations) or fail (the run fails when there is any).",
    default: 'warn',
    schema: oneOf(['warn', 'fail']),
  }),
  'addon-errors': input({
    key: 'addonErrors',
    group: 'Add-on health',
    description:
      "Exceptions the add-on's own code raises where no test or probe sees them (timers, handlers, threads, asyncio, unraisable, register() and unregister()): fail (the run fails) or warn (listed, with warning annotations on the add-on's lines).",
    default: 'fail',
    guide: 'addon-health.md',
    schema: oneOf(['fail', 'warn']),
  }),
  'unregister-check': input({
    key: 'unregisterCheck',
    group: 'Add-on health',
    description:
      'Whether unregister() leaves Blender as it found it (handlers, timers, classes, properties, menu draw functions, keymap items, threads, ports, sockets, asyncio tasks, child processes): fail, warn or off.',
    default: 'fail',
    guide: 'addon-health.md',
    schema: oneOf(['fail', 'warn', 'off']),
  }),
  'unregister-grace': input({
    key: 'unregisterGraceMs',
    group: 'Add-on health',
    description:
      "How long the add-on's threads, ports, sockets, tasks and processes may take to end after unregister() returns before they count as left behind; a bare number means seconds.",
    default: '1s',
    schema: duration('s'),
  }),
  'reload-check': input({
    key: 'reloadCheck',
    group: 'Add-on health',
    description:
      'After the tests and probes, disable the add-on, check what it left, drop its modules, enable it again and run the probe files again: this many times (0: never). What a user does when they update an add-on.',
    default: '0',
    guide: 'addon-health.md',
    schema: text.transform((value, ctx) => {
      const cycles = Number(value);
      if (value === '' || !Number.isInteger(cycles) || cycles < 0 || cycles > 100) {
        ctx.addIssue({ code: 'custom', message: `must be a number of reload cycles from 0 to 100, got '${value}'` });
        return z.NEVER;
      }
      return cycles;
    }),
  }),
  'max-memory-growth': input({
    key: 'maxMemoryGrowthBytes',
    group: 'Add-on health',
    description:
      "With reload-check: the most Blender's resident memory may grow from before the first reload cycle to after the last (e.g. 20MiB); more fails the run.",
    schema: optionalText.transform((value, ctx) => {
      if (value === undefined) return undefined;
      const bytes = parseBytes(value);
      if (bytes === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be a size such as 20MiB or 500KB, got '${value}'` });
        return z.NEVER;
      }
      return bytes;
    }),
  }),
  'ui-check': input({
    key: 'uiCheck',
    group: 'Add-on health',
    description:
      "Draw the add-on's UI after the session, in a Blender with a window (every panel, menu, header and list it registered, its preferences, what it appended to Blender's menus): auto (fail wherever the run can have a display of its own: Xvfb on Linux, the runner's desktop on macOS and Windows runners; elsewhere one line says why it was not drawn), fail (a draw error fails the run), warn (listed, not failing) or off.",
    default: 'auto',
    guide: 'ui-check.md',
    schema: oneOf(UI_CHECK_SETTINGS),
  }),
  'ui-setup': input({
    key: 'uiSetup',
    group: 'Add-on health',
    description:
      "Python (with bpy) run in the UI check's Blender after the add-on is enabled and before anything is drawn, to give poll() what it asks for (e.g. bpy.ops.object.mode_set(mode='EDIT')). Before it: a selected mesh object, active, in Object mode.",
    schema: optionalText,
  }),
  'ui-results': input({
    key: 'uiResults',
    group: 'Reports',
    description:
      "Where the UI check's pictures go: a PNG of each panel and menu drawn (output ui-results names it, to upload). Default: a folder per run beside the Blender log.",
    schema: optionalText,
  }),
  mode: input({
    key: 'mode',
    group: 'Modes',
    description:
      "test (default): run the add-on and its probes. versions: resolve the 'versions' list into a JSON array output for a matrix. report: one table over the matrix's result files ('results').",
    default: 'test',
    guide: 'matrix.md',
    schema: oneOf(['test', 'versions', 'report']),
  }),
  versions: input({
    key: 'versions',
    group: 'Modes',
    description: "For mode: versions: a list such as '>=3.6 lts, latest, daily' (comma or newline separated).",
    schema: optionalText,
  }),
  results: input({
    key: 'results',
    group: 'Modes',
    description:
      'For mode: report: the result files (result-path) of the matrix jobs: paths or globs, one per line. Shards of one Blender are merged into one column.',
    list: true,
    schema: lines,
  }),
  'durations-path': input({
    key: 'durationsPath',
    group: 'Modes',
    description: "For mode: report: write each test file's measured time here (per Blender), for the next run's shard-durations.",
    schema: optionalText,
  }),
  watch: input({
    key: 'watch',
    group: 'Modes',
    description:
      'Stay after the run: each save reloads the add-on in the live Blender and runs what the change affects (keys: a all, f failed, r restart, q quit).',
    only: 'cli',
    switch: true,
    default: 'false',
    guide: 'watch.md',
    schema: boolean,
  }),
  quiet: input({
    key: 'quiet',
    group: 'Reports',
    description: 'No progress lines for downloads.',
    only: 'cli',
    switch: true,
    default: 'false',
    schema: boolean,
  }),
};

export type InputName = keyof typeof INPUTS;

/** Inputs as the user gave them: strings, or string lists for list inputs; absent = not given. */
export type RawInputs = Partial<Record<InputName, string | readonly string[]>>;

/** Every declaration with its name, in declaration order. */
export const DECLARED = Object.entries(INPUTS) as [InputName, InputDeclaration][];

/** The inputs the action has (action.yml, core.getInput). */
export const ACTION_INPUTS = DECLARED.filter(([, d]) => d.only !== 'cli');
