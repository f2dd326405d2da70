import { parseArgsStringToArgv } from 'string-argv';
import { z } from 'zod';
import { type ShardSpec, parseShard } from './shards/plan.js';
import type { OnlineAccessSetting } from './blender/invocation.js';
import { parseBytes } from './bytes.js';
import { type DurationUnit, parseDuration } from './duration.js';
import { UserError } from './errors.js';
import { UPDATE_SNAPSHOTS, type UpdateSnapshots, defaultUpdateSnapshots } from './snapshots/baseline.js';
import { UI_CHECK_SETTINGS, type UiCheckSetting } from './ui-check/plan.js';

/**
 * The inputs, once: action.yml declares exactly these (a unit test holds the two together),
 * the CLI takes them as --flags of the same names, and --help prints them.
 * `list` inputs are newline-separated in the action and repeated flags on the CLI.
 */
/** What an input is about: --help lists them by these, in this order. */
export const INPUT_GROUPS = ['Blender', 'Add-on', 'Session', 'Probes', 'Tests', 'Add-on health', 'Reports', 'Modes'] as const;

export interface InputSpec {
  readonly group: (typeof INPUT_GROUPS)[number];
  readonly description: string;
  readonly default?: string;
  readonly required?: boolean;
  readonly list?: boolean;
}

export const INPUTS = {
  'blender-version': { group: 'Blender',
    description: 'Blender to download and cache: 4.2.3, 4.2 (newest 4.2.x), latest, lts, daily, 4.5-daily (:alpha/:beta/:candidate), or system (blender on PATH). Default: lts in the action (runners have no Blender), system on the CLI.',
  },
  'blender-path': { group: 'Blender', description: 'Blender executable to run instead of downloading one: a path, or a command on PATH.' },
  mirror: { group: 'Blender', description: 'Release mirrors to try after download.blender.org, in order: base URLs of ".../release" folders, one per line.', list: true },
  cache: { group: 'Blender', description: 'Cache downloaded Blender across runs with the Actions cache (true or false).', default: 'true' },
  'check-latest': { group: 'Blender', description: 'For 4.2, latest and lts: ask the release listings for the newest match even when a cached Blender satisfies the spec (true or false).', default: 'false' },
  addon: { group: 'Add-on',
    description: 'The addon to test: a package folder, a single .py file, a .zip of either, or a Blender 4.2+ extension (a folder or .zip with blender_manifest.toml, e.g. from `blender --command extension build`). Default: the one add-on in the workspace (the root, a folder one level below it or below src/ with blender_manifest.toml or bl_info, or a .py file with bl_info); then, unless given, tests default to tests/ (or test/) and probes to tests/probes/*.json (or probes/*.json) when they are there.',
  },
  'addon-module': { group: 'Add-on', description: 'Module name to enable a legacy add-on by. Default: the folder or file name of `addon`. (An extension is bl_ext.<extension-repository>.<id>; one that also has bl_info is a legacy add-on before Blender 4.2, named by this.)' },
  'extension-repository': { group: 'Add-on',
    description: "The extension repository an extension is installed into, so Blender imports it as bl_ext.<repository>.<id>: user_default, blender_org (as installed from extensions.blender.org), or a name of your own.",
    default: 'user_default',
  },
  'online-access': { group: 'Add-on',
    description: "Blender's online access (bpy.app.online_access, 4.2+): auto turns it on for an extension whose manifest declares [permissions] network; true or false force it for any addon. Blenders before 4.2 have no such setting.",
    default: 'auto',
  },
  'addon-kind': { group: 'Add-on',
    description: 'How an add-on with both bl_info and blender_manifest.toml is installed: auto (legacy before Blender 4.2, an extension from 4.2), legacy (under its folder name on every Blender, its manifest not checked, as a symlink into scripts/addons has it), or extension (an extension only).',
    default: 'auto',
  },
  'incompatible-blender': { group: 'Add-on',
    description: "When the addon cannot run on this Blender (an extension's blender_version_min/max, or an extension on Blender before 4.2): fail, or skip (the run passes and is reported as skipped; for a version matrix).",
    default: 'fail',
  },
  port: { group: 'Session', description: "TCP port the addon serves on; the session is ready when it accepts connections." },
  host: { group: 'Session', description: 'Host the addon listens on (a literal address: localhost may resolve to ::1).', default: '127.0.0.1' },
  companion: { group: 'Session',
    description: "A command started once Blender is ready and stopped before it (its process group: SIGTERM, then SIGKILL), e.g. an MCP bridge: `uvx blender-remote` or `node server.js --blender-port {port}`. {port} is the port input, {companion-port} the companion-port input. Its output goes to the log; exiting before teardown, or leaving a process behind, fails the run.",
  },
  'companion-env': { group: 'Session', description: 'Environment for the companion besides the runner\'s and the env input: KEY=VALUE lines, {port} and {companion-port} filled in, e.g. BLENDER_PORT={port}.', list: true },
  'companion-port': { group: 'Session', description: 'The port the companion serves on (an MCP server over HTTP): the probes start once it accepts connections.' },
  'mcp-error-text': { group: 'Probes', description: 'A tool whose text result starts with "Error" while isError is false (the client then sees a failure as a success): off, or warn.', default: 'off' },
  'update-snapshots': { group: 'Probes',
    description: 'Which approved images of render steps a run may write from its renders: none, missing (new ones), changed (also those that differ) or all. Default: missing, and none under CI=true (a CI run does not approve its own renders).',
  },
  'snapshot-results': { group: 'Probes', description: "Where a failed render step's actual, expected and diff images go (output snapshot-results names it, to upload). Default: a folder per run beside the Blender log." },
  probes: { group: 'Probes', description: 'Probe files to run: paths or globs, one per line; !pattern excludes from all of them.', list: true },
  tests: { group: 'Tests', description: "The addon's Python test files to run inside Blender (unittest or pytest): paths or globs, one per line; !pattern excludes.", list: true },
  'test-runner': { group: 'Tests', description: 'auto (pytest when Blender\'s Python can import it, else unittest), unittest or pytest.', default: 'auto' },
  'addon-state-in-tests': { group: 'Tests',
    description: "How each test file finds the addon: auto (installed, not enabled, when the tests enable it themselves with addon_utils.enable or addon_enable, as their own loop has it; else enabled), enabled, or installed. The probes always get it enabled.",
    default: 'auto',
  },
  'test-workers': { group: 'Tests',
    description: "How many Blender sessions run the tests at once, taking files from one queue: a number, or auto (the machine's cores, never more than the files). The probes run once, after the tests.",
    default: '1',
  },
  'worker-env': { group: 'Tests',
    description: 'For test workers besides the first, when the addon serves on port: KEY=VALUE lines where {port} becomes a free port for that worker (and {worker} its number), e.g. MY_ADDON_PORT={port}.',
    list: true,
  },
  shard: { group: 'Tests',
    description: "This job's share of the test files, as <index>/<total> (e.g. 2/4): files split by their durations in shard-durations (by count without them), the same plan in every job. The probes run in shard 1 only.",
  },
  'shard-durations': { group: 'Tests',
    description: "For shard: result files of an earlier run (result-path) or a durations file (durations-path): paths or globs, one per line. Each test file's measured time weighs it in the plan.",
    list: true,
  },
  'python-packages': { group: 'Blender',
    description: "Python packages for Blender's Python, installed with pip into a cached folder put on sys.path before the addon is enabled (never into Blender itself): requirement lines such as pytest or numpy<2, or -r requirements-test.txt, one per line.",
    list: true,
  },
  'blend-file': { group: 'Blender', description: 'A .blend file Blender opens before the addon is enabled (what `blender scene.blend --python ...` does).' },
  startup: { group: 'Session', description: 'Python run inside Blender after the addon is enabled, e.g. `bpy.ops.myaddon.start_server()`.' },
  pump: { group: 'Session', description: "`module:function` the driver calls on Blender's main thread every pump-interval (an addon's own step())." },
  'pump-interval': { group: 'Session', description: 'How often the pump runs; a bare number means milliseconds.', default: '10ms' },
  'pump-wake': { group: 'Session', description: 'Also run the pump the moment a server thread starts waiting for its result (true or false): requests are answered at once instead of one pump-interval later.', default: 'true' },
  env: { group: 'Session', description: "Extra environment for Blender: KEY=VALUE, one per line.", list: true },
  'blender-args': { group: 'Blender', description: 'Extra Blender command-line arguments, placed before --python.' },
  'startup-timeout': { group: 'Session', description: 'How long Blender may take to become ready; a bare number means seconds.', default: '60s' },
  'probe-timeout': { group: 'Probes', description: 'How long one probe step may take; a bare number means seconds.', default: '30s' },
  'test-timeout': { group: 'Tests', description: "How long one of the addon's tests may run before it counts as hanging (Blender is then stopped and the tests after it are not run); a bare number means seconds. Default: no limit, as unittest and pytest have none." },
  'shutdown-timeout': { group: 'Session', description: 'How long Blender may take to exit after SIGTERM before it is killed.', default: '10s' },
  'max-reply-size': { group: 'Probes', description: 'The largest reply a probe step reads (e.g. 64MiB, 500KB); a bigger one fails the step and its connection is dropped.', default: '64MiB' },
  'junit-path': { group: 'Reports', description: 'Write a JUnit XML report here (one testsuite per probe file, one testcase per step; mode: report, one per Blender version).' },
  coverage: { group: 'Tests',
    description: "Measure the addon's own files with coverage.py for the whole session (import, register, tests, probes, unregister; every thread), branches included (true or false). Blender's Python must be able to import coverage (python-packages: coverage).",
    default: 'false',
  },
  'coverage-path': { group: 'Tests', description: 'Where the coverage report goes: Cobertura XML, or LCOV for a path ending in .lcov or .info.', default: 'coverage.xml' },
  'coverage-min': { group: 'Tests', description: "The lowest line coverage (percent) of the addon's files that passes; below it the run fails." },
  'result-path': { group: 'Reports', description: 'Write the run\'s result file here: JSON with everything the run decided (Blender, every test and step, the session, deprecations), for mode: report. Written whatever happened.' },
  deprecations: { group: 'Reports',
    description: 'Deprecation warnings the addon\'s own lines raise (and Blender\'s deprecation notices): warn (listed in the reports, with warning annotations) or fail (the run fails when there is any).',
    default: 'warn',
  },
  'addon-errors': { group: 'Add-on health',
    description: "Exceptions the addon's own code raises where no test or probe sees them (timers, handlers, threads, asyncio, unraisable, register() and unregister()): fail (the run fails) or warn (listed, with warning annotations on the addon's lines).",
    default: 'fail',
  },
  'unregister-check': { group: 'Add-on health',
    description: "Whether unregister() leaves Blender as it found it (handlers, timers, classes, properties, menu draw functions, keymap items, threads, ports, sockets, asyncio tasks, child processes): fail, warn or off.",
    default: 'fail',
  },
  'unregister-grace': { group: 'Add-on health',
    description: "How long the addon's threads, ports, sockets, tasks and processes may take to end after unregister() returns before they count as left behind; a bare number means seconds.",
    default: '1s',
  },
  'reload-check': { group: 'Add-on health',
    description: 'After the tests and probes, disable the addon, check what it left, drop its modules, enable it again and run the probe files again: this many times (0: never). What a user does when they update an addon.',
    default: '0',
  },
  'max-memory-growth': { group: 'Add-on health',
    description: "With reload-check: the most Blender's resident memory may grow from before the first reload cycle to after the last (e.g. 20MiB); more fails the run." },
  'ui-check': { group: 'Add-on health',
    description: "Draw the add-on's UI after the session, in a Blender with a window (every panel, menu, header and list it registered, its preferences, what it appended to Blender's menus): auto (fail wherever the run can have a display of its own: Xvfb on Linux, the runner's desktop on macOS and Windows runners; elsewhere one line says why it was not drawn), fail (a draw error fails the run), warn (listed, not failing) or off.",
    default: 'auto',
  },
  'ui-setup': { group: 'Add-on health',
    description: "Python (with bpy) run in the UI check's Blender after the add-on is enabled and before anything is drawn, to give poll() what it asks for (e.g. bpy.ops.object.mode_set(mode='EDIT')). Before it: a selected mesh object, active, in Object mode." },
  'ui-results': { group: 'Reports', description: "Where the UI check's pictures go: a PNG of each panel and menu drawn (output ui-results names it, to upload). Default: a folder per run beside the Blender log." },
  mode: { group: 'Modes',
    description: "test (default): run the addon and its probes. versions: resolve the 'versions' list into a JSON array output for a matrix. report: one table over the matrix's result files ('results').",
    default: 'test',
  },
  versions: { group: 'Modes', description: "For mode: versions: a list such as '>=3.6 lts, latest, daily' (comma or newline separated)." },
  results: { group: 'Modes', description: 'For mode: report: the result files (result-path) of the matrix jobs: paths or globs, one per line. Shards of one Blender are merged into one column.', list: true },
  'durations-path': { group: 'Modes', description: "For mode: report: write each test file's measured time here (per Blender), for the next run's shard-durations." },
} as const satisfies Record<string, InputSpec>;

export type InputName = keyof typeof INPUTS;

/** Inputs as the user gave them: strings, or string lists for list inputs; absent = not given. */
export type RawInputs = Partial<Record<InputName, string | readonly string[]>>;

export interface RunConfig {
  /** exactly one of blenderPath and blenderVersion is set */
  blenderPath: string | undefined;
  blenderVersion: string | undefined;
  mirrors: string[];
  cache: boolean;
  checkLatest: boolean;
  mode: 'test' | 'versions' | 'report';
  /** mode: report: result-file globs */
  results: string[];
  /** mode: report: where the test files' measured times go, for the next run's shard-durations */
  durationsPath: string | undefined;
  /** this job's share of the test files (shard: i/n) */
  shard: ShardSpec | undefined;
  /** result files or a durations file of an earlier run: what the shard plan weighs files by */
  shardDurations: string[];
  /** write the result file here */
  resultPath: string | undefined;
  coverage: boolean;
  coveragePath: string;
  /** percent; below it the run fails */
  coverageMin: number | undefined;
  deprecations: 'warn' | 'fail';
  /** the addon's background errors: fail the run, or warn */
  addonErrors: 'fail' | 'warn';
  /** what unregister() leaves in Blender: fail, warn, or not checked */
  unregisterCheck: 'fail' | 'warn' | 'off';
  unregisterGraceMs: number;
  /** disable → check → enable → probes again, this many times after the probes */
  reloadCheck: number;
  /** bytes Blender's resident memory may grow over the reload cycles */
  maxMemoryGrowthBytes: number | undefined;
  /** draw the add-on's UI in a Blender with a window: where a display can be had (auto), or as asked */
  uiCheck: UiCheckSetting;
  /** Python run before the UI is drawn */
  uiSetup: string | undefined;
  /** where the UI check's pictures go; undefined: a folder per run beside the log */
  uiResults: string | undefined;
  onlineAccess: OnlineAccessSetting;
  incompatibleBlender: 'fail' | 'skip';
  /** the spec list of mode: versions */
  versions: string | undefined;
  /** undefined: not given; the workspace's one add-on is looked for (src/workspace/) */
  addon: string | undefined;
  addonModule: string | undefined;
  /** how an add-on with bl_info and a manifest is installed */
  addonKind: 'auto' | 'extension' | 'legacy';
  /** the extension repository: bl_ext.<extensionRepository>.<id> */
  extensionRepository: string;
  /** requirement lines (and -r files) for pip, installed for Blender's Python */
  pythonPackages: string[];
  /** a .blend opened before the addon is enabled */
  blendFile: string | undefined;
  port: number | undefined;
  host: string;
  probes: string[];
  /** the addon's Python test files (globs), run inside the session before the probes */
  tests: string[];
  testRunner: 'auto' | 'unittest' | 'pytest';
  /** how each test file finds the addon: enabled, or installed only (the tests enable it themselves) */
  addonStateInTests: 'auto' | 'enabled' | 'installed';
  /** test sessions at once: a number, or auto (cores, at most one per file) */
  testWorkers: number | 'auto';
  /** the other workers' environment: values with {port} and {worker} to fill in */
  workerEnv: Record<string, string>;
  /** a command started beside Blender once it is ready, {port} and {companion-port} still to fill in */
  companion: string | undefined;
  companionEnv: Record<string, string>;
  companionPort: number | undefined;
  /** which approved images render steps may write (none under CI=true unless given) */
  updateSnapshots: UpdateSnapshots;
  /** where a failed comparison's images go; undefined: the run's own folder beside its log */
  snapshotResults: string | undefined;
  /** a tool's text result starting with "Error" while isError is false: warned about, or not */
  mcpErrorText: 'off' | 'warn';
  startup: string | undefined;
  pump: string | undefined;
  pumpIntervalMs: number;
  pumpWake: boolean;
  env: Record<string, string>;
  blenderArgs: string[];
  startupTimeoutMs: number;
  probeTimeoutMs: number;
  /** how long one of the addon's tests may run; undefined: no limit, as the suite's own runner */
  testTimeoutMs: number | undefined;
  /** the largest reply a step reads, in bytes */
  maxReplyBytes: number;
  shutdownTimeoutMs: number;
  junitPath: string | undefined;
}

const PYTHON_DOTTED_NAME = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/;
const ENV_LINE = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

const text = z.string().trim();
const optionalText = text.transform((value) => (value === '' ? undefined : value)).optional();

function duration(bareUnit: DurationUnit) {
  return text.transform((value, ctx) => positiveDuration(value, bareUnit, ctx));
}

/** A duration input that may be left out (no limit). */
function optionalDuration(bareUnit: DurationUnit) {
  return optionalText.transform((value, ctx) => (value === undefined ? undefined : positiveDuration(value, bareUnit, ctx)));
}

function positiveDuration(value: string, bareUnit: DurationUnit, ctx: z.RefinementCtx): number {
  const ms = parseDuration(value, bareUnit);
  if (ms === undefined || ms <= 0) {
    const example = bareUnit === 'ms' ? '250ms, 2s or 50' : '500ms, 30s, 2m or 45';
    ctx.addIssue({ code: 'custom', message: `must be a positive duration such as ${example}, got '${value}'` });
    return z.NEVER;
  }
  return ms;
}

const port = text
  .transform((value, ctx) => {
    const number = Number(value);
    if (value === '' || !Number.isInteger(number) || number < 1 || number > 65535) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number from 1 to 65535, got '${value}'` });
      return z.NEVER;
    }
    return number;
  })
  .optional();

const envLines = z.array(z.string()).transform((lines, ctx) => {
  const env: Record<string, string> = {};
  const entries = lines.map((l) => l.trim()).filter((l) => l !== '');
  for (const [index, line] of entries.entries()) {
    const match = ENV_LINE.exec(line);
    if (!match) {
      // Never the line itself: a value (or a value pasted without its name) may be a secret.
      ctx.addIssue({ code: 'custom', message: `must be KEY=VALUE lines (a name of letters, digits and _, then =); entry ${index + 1} is not, and is not shown here in case it holds a secret` });
      return z.NEVER;
    }
    env[match[1]!] = match[2]!;
  }
  return env;
});

const boolean = text.transform((value, ctx) => {
  if (/^(true|yes|1|on)$/i.test(value)) return true;
  if (/^(false|no|0|off)$/i.test(value)) return false;
  ctx.addIssue({ code: 'custom', message: `must be true or false, got '${value}'` });
  return z.NEVER;
});

const RawInputsSchema = z.object({
  'blender-version': optionalText,
  'blender-path': optionalText,
  mirror: z.array(z.string()).transform((lines, ctx) => {
    const urls = lines.map((l) => l.trim().replace(/\/+$/, '')).filter((l) => l !== '');
    const bad = urls.find((u) => !/^https?:\/\/\S+$/.test(u));
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `must be http(s) URLs, one per line, got '${bad}'` });
      return z.NEVER;
    }
    return urls;
  }),
  cache: boolean,
  'check-latest': boolean,
  addon: optionalText,
  'online-access': text.transform((value, ctx): OnlineAccessSetting => {
    if (/^auto$/i.test(value)) return 'auto';
    if (/^(true|yes|1|on)$/i.test(value)) return 'on';
    if (/^(false|no|0|off)$/i.test(value)) return 'off';
    ctx.addIssue({ code: 'custom', message: `must be auto, true or false, got '${value}'` });
    return z.NEVER;
  }),
  'addon-kind': z.enum(['auto', 'extension', 'legacy'], { error: (issue) => `must be auto, extension or legacy, got '${String(issue.input)}'` }),
  'incompatible-blender': z.enum(['fail', 'skip'], { error: (issue) => `must be fail or skip, got '${String(issue.input)}'` }),
  'addon-module': optionalText.refine((v) => v === undefined || PYTHON_DOTTED_NAME.test(v), {
    message: 'must be a Python module name such as my_addon',
  }),
  'extension-repository': text.refine((v) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(v), {
    message: 'must be a repository module name such as user_default or blender_org (letters, digits and _)',
  }),
  'test-workers': text.transform((value, ctx) => {
    if (/^auto$/i.test(value)) return 'auto' as const;
    const count = Number(value);
    if (!Number.isInteger(count) || count < 1 || count > 64) {
      ctx.addIssue({ code: 'custom', message: `must be a number of workers from 1 to 64, or auto, got '${value}'` });
      return z.NEVER;
    }
    return count;
  }),
  'worker-env': envLines,
  shard: optionalText.transform((value, ctx) => {
    if (value === undefined) return undefined;
    const shard = parseShard(value);
    if (!shard) {
      ctx.addIssue({ code: 'custom', message: `must be <index>/<total> with 1 ≤ index ≤ total (e.g. 2/4 for the second of 4 jobs), got '${value}'` });
      return z.NEVER;
    }
    return shard;
  }),
  'shard-durations': z.array(z.string()).transform((lines) => lines.map((l) => l.trim()).filter((l) => l !== '')),
  'durations-path': optionalText,
  'python-packages': z.array(z.string()).transform((lines) => lines.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))),
  'blend-file': optionalText,
  port,
  host: text.min(1, 'must not be empty'),
  probes: z.array(z.string()).transform((lines) => lines.map((l) => l.trim()).filter((l) => l !== '')),
  tests: z.array(z.string()).transform((lines) => lines.map((l) => l.trim()).filter((l) => l !== '')),
  'addon-state-in-tests': z.enum(['auto', 'enabled', 'installed'], { error: (issue) => `must be auto, enabled or installed, got '${String(issue.input)}'` }),
  'test-runner': z.enum(['auto', 'unittest', 'pytest'], { error: (issue) => `must be auto, unittest or pytest, got '${String(issue.input)}'` }),
  companion: optionalText,
  'companion-env': envLines,
  'companion-port': port,
  'update-snapshots': optionalText.transform((value, ctx) => {
    if (value === undefined) return undefined;
    if (!(UPDATE_SNAPSHOTS as readonly string[]).includes(value)) {
      ctx.addIssue({ code: 'custom', message: `must be none, missing, changed or all, got '${value}'` });
      return z.NEVER;
    }
    return value as UpdateSnapshots;
  }),
  'snapshot-results': optionalText,
  'mcp-error-text': z.enum(['off', 'warn'], { error: (issue) => `must be off or warn, got '${String(issue.input)}'` }),
  startup: optionalText,
  pump: optionalText.refine((v) => v === undefined || /^[A-Za-z_][\w.]*:[A-Za-z_]\w*$/.test(v), {
    message: 'must be module:function, such as my_addon.server:step',
  }),
  'pump-interval': duration('ms'),
  'pump-wake': boolean,
  env: envLines,
  'blender-args': optionalText.transform((v) => (v === undefined ? [] : parseArgsStringToArgv(v))),
  'startup-timeout': duration('s'),
  'probe-timeout': duration('s'),
  'test-timeout': optionalDuration('s'),
  'max-reply-size': text.transform((value, ctx) => {
    const bytes = parseBytes(value);
    if (bytes === undefined || bytes < 1) {
      ctx.addIssue({ code: 'custom', message: `must be a size such as 64MiB, 500KB or 1048576 (bytes), got '${value}'` });
      return z.NEVER;
    }
    return bytes;
  }),
  'shutdown-timeout': duration('s'),
  'junit-path': optionalText,
  mode: z.enum(['test', 'versions', 'report'], { error: (issue) => `must be test, versions or report, got '${String(issue.input)}'` }),
  versions: optionalText,
  results: z.array(z.string()).transform((lines) => lines.map((l) => l.trim()).filter((l) => l !== '')),
  'result-path': optionalText,
  coverage: boolean,
  'coverage-path': text.min(1, 'must not be empty'),
  'coverage-min': optionalText.transform((value, ctx) => {
    if (value === undefined) return undefined;
    const percent = Number(value.replace(/%$/, ''));
    if (!Number.isFinite(percent) || percent < 0 || percent > 100) {
      ctx.addIssue({ code: 'custom', message: `must be a percentage from 0 to 100, such as 80, got '${value}'` });
      return z.NEVER;
    }
    return percent;
  }),
  deprecations: z.enum(['warn', 'fail'], { error: (issue) => `must be warn or fail, got '${String(issue.input)}'` }),
  'addon-errors': z.enum(['fail', 'warn'], { error: (issue) => `must be fail or warn, got '${String(issue.input)}'` }),
  'unregister-check': z.enum(['fail', 'warn', 'off'], { error: (issue) => `must be fail, warn or off, got '${String(issue.input)}'` }),
  'unregister-grace': duration('s'),
  'reload-check': text.transform((value, ctx) => {
    const cycles = Number(value);
    if (value === '' || !Number.isInteger(cycles) || cycles < 0 || cycles > 100) {
      ctx.addIssue({ code: 'custom', message: `must be a number of reload cycles from 0 to 100, got '${value}'` });
      return z.NEVER;
    }
    return cycles;
  }),
  'ui-check': z.enum(UI_CHECK_SETTINGS, { error: (issue) => `must be auto, fail, warn or off, got '${String(issue.input)}'` }),
  'ui-setup': optionalText,
  'ui-results': optionalText,
  'max-memory-growth': optionalText.transform((value, ctx) => {
    if (value === undefined) return undefined;
    const bytes = parseBytes(value);
    if (bytes === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be a size such as 20MiB or 500KB, got '${value}'` });
      return z.NEVER;
    }
    return bytes;
  }),
});

/** Fills defaults and shapes each value the way the schema expects (list or single string). */
function withDefaults(raw: RawInputs): Record<InputName, string | string[] | undefined> {
  const filled = {} as Record<InputName, string | string[] | undefined>;
  for (const [name, spec] of Object.entries(INPUTS) as [InputName, InputSpec][]) {
    const given = raw[name];
    const values = given === undefined ? [] : typeof given === 'string' ? [given] : [...given];
    const present = values.some((v) => v.trim() !== '');
    if (spec.list) {
      filled[name] = present ? values.flatMap((v) => v.split('\n')) : [];
    } else {
      // A repeated single-value flag: the last one wins, as with most CLIs.
      filled[name] = present ? values[values.length - 1] : spec.default ?? (spec.required ? '' : undefined);
    }
  }
  return filled;
}

/** Validates raw inputs into a RunConfig, or throws a UserError naming the first bad input. */
export function parseRunConfig(raw: RawInputs): RunConfig {
  const result = RawInputsSchema.safeParse(withDefaults(raw));
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new UserError(`Input '${String(issue.path[0])}' ${issue.message}.`);
  }
  const v = result.data;
  if (v.mode === 'report' && v.results.length === 0) {
    throw new UserError("Input 'results' is required with mode: report: the result files of the matrix jobs, e.g. results/*.json.");
  }
  if (v.mode === 'versions' && v.versions === undefined) {
    throw new UserError("Input 'versions' is required with mode: versions, e.g. '>=3.6 lts, latest, daily'.");
  }
  if (v['max-memory-growth'] !== undefined && v['reload-check'] === 0) {
    throw new UserError("Input 'max-memory-growth' is measured over the reload cycles: set reload-check too (e.g. reload-check: 3).");
  }
  if ((v['companion-port'] !== undefined || Object.keys(v['companion-env']).length > 0) && v.companion === undefined) {
    throw new UserError(`Input '${v['companion-port'] !== undefined ? 'companion-port' : 'companion-env'}' is for the companion: set companion too (the command to start).`);
  }
  if (v['blender-path'] && v['blender-version']) {
    throw new UserError("Inputs 'blender-path' and 'blender-version' both name a Blender; give one of them.");
  }
  return {
    blenderPath: v['blender-path'],
    blenderVersion: v['blender-version'],
    mirrors: v.mirror,
    cache: v.cache,
    checkLatest: v['check-latest'],
    mode: v.mode,
    versions: v.versions,
    results: v.results,
    durationsPath: v['durations-path'],
    shard: v.shard,
    shardDurations: v['shard-durations'],
    resultPath: v['result-path'],
    coverage: v.coverage,
    coveragePath: v['coverage-path'],
    coverageMin: v['coverage-min'],
    deprecations: v.deprecations,
    addonErrors: v['addon-errors'],
    unregisterCheck: v['unregister-check'],
    unregisterGraceMs: v['unregister-grace'],
    reloadCheck: v['reload-check'],
    maxMemoryGrowthBytes: v['max-memory-growth'],
    uiCheck: v['ui-check'],
    uiSetup: v['ui-setup'],
    uiResults: v['ui-results'],
    onlineAccess: v['online-access'],
    incompatibleBlender: v['incompatible-blender'],
    addon: v.addon,
    addonModule: v['addon-module'],
    addonKind: v['addon-kind'],
    extensionRepository: v['extension-repository'],
    pythonPackages: v['python-packages'],
    blendFile: v['blend-file'],
    port: v.port,
    host: v.host,
    probes: v.probes,
    tests: v.tests,
    testRunner: v['test-runner'],
    addonStateInTests: v['addon-state-in-tests'],
    testWorkers: v['test-workers'],
    workerEnv: v['worker-env'],
    companion: v.companion,
    companionEnv: v['companion-env'],
    companionPort: v['companion-port'],
    mcpErrorText: v['mcp-error-text'],
    updateSnapshots: v['update-snapshots'] ?? defaultUpdateSnapshots(process.env),
    snapshotResults: v['snapshot-results'],
    startup: v.startup,
    pump: v.pump,
    pumpIntervalMs: v['pump-interval'],
    pumpWake: v['pump-wake'],
    env: v.env,
    blenderArgs: v['blender-args'],
    startupTimeoutMs: v['startup-timeout'],
    probeTimeoutMs: v['probe-timeout'],
    testTimeoutMs: v['test-timeout'],
    maxReplyBytes: v['max-reply-size'],
    shutdownTimeoutMs: v['shutdown-timeout'],
    junitPath: v['junit-path'],
  };
}
