import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../../src/inputs/config.js';
import { UserError } from '../../../src/errors.js';

const addon = { addon: './my_addon' };

describe('parseRunConfig', () => {
  it('fills every default', () => {
    expect(parseRunConfig(addon, { surface: 'cli', env: {} })).toEqual({
      blenderPath: undefined,
      blenderVersion: 'system',
      mirrors: [],
      cache: true,
      mode: 'test',
      results: [],
      durationsPath: undefined,
      shard: undefined,
      shardDurations: [],
      resultPath: undefined,
      deprecations: 'warn',
      addonErrors: 'fail',
      unregisterCheck: 'fail',
      unregisterGraceMs: 1000,
      reloadCheck: 0,
      maxMemoryGrowthBytes: undefined,
      uiCheck: 'auto',
      uiSetup: undefined,
      uiResults: undefined,
      coverage: false,
      coveragePath: 'coverage.xml',
      coverageMin: undefined,
      testWorkers: 1,
      workerEnv: {},
      versions: undefined,
      onlineAccess: 'auto',
      incompatibleBlender: 'fail',
      addon: './my_addon',
      addonModule: undefined,
      addonKind: 'auto',
      extensionRepository: 'user_default',
      pythonPackages: [],
      blendFile: undefined,
      port: undefined,
      host: '127.0.0.1',
      probes: [],
      tests: [],
      testRunner: 'auto',
      addonStateInTests: 'auto',
      testScript: undefined,
      testIsolation: 'auto',
      companion: undefined,
      companionEnv: {},
      companionPort: undefined,
      mcpErrorText: 'off',
      updateSnapshots: 'missing',
      snapshotResults: undefined,
      startup: undefined,
      pump: undefined,
      pumpIntervalMs: 10,
      pumpWake: true,
      env: {},
      blenderArgs: [],
      startupTimeoutMs: 60_000,
      probeTimeoutMs: 30_000,
      testTimeoutMs: undefined,
      shutdownTimeoutMs: 10_000,
      maxReplyBytes: 64 * 1024 * 1024,
      checkLatest: false,
      junitPath: undefined,
      watch: false,
      quiet: false,
    });
  });

  it('resolves the defaults that depend on where the run is: which Blender, and whether renders are approved', () => {
    const action = { surface: 'action', env: { CI: 'true' } } as const;
    expect(parseRunConfig(addon, action)).toMatchObject({ blenderVersion: 'lts', blenderPath: undefined, updateSnapshots: 'none' });
    expect(parseRunConfig({ ...addon, 'blender-path': '/opt/b/blender' }, action)).toMatchObject({ blenderVersion: undefined, blenderPath: '/opt/b/blender' });
    expect(parseRunConfig({ ...addon, 'blender-version': '4.2' }, action).blenderVersion).toBe('4.2');
    expect(parseRunConfig({ mode: 'versions', versions: 'lts' }, action).blenderVersion).toBeUndefined();
    expect(parseRunConfig({ ...addon, 'update-snapshots': 'all' }, action).updateSnapshots).toBe('all');
  });

  it('online-access: auto, or a boolean spelled any usual way; incompatible-blender: fail or skip', () => {
    expect(['auto', 'true', 'On', 'no'].map((v) => parseRunConfig({ ...addon, 'online-access': v }).onlineAccess)).toEqual(['auto', 'on', 'on', 'off']);
    expect(() => parseRunConfig({ ...addon, 'online-access': 'maybe' })).toThrow("Input 'online-access' must be auto, true or false, got 'maybe'.");
    expect(parseRunConfig({ ...addon, 'incompatible-blender': 'skip' }).incompatibleBlender).toBe('skip');
    expect(() => parseRunConfig({ ...addon, 'incompatible-blender': 'ignore' })).toThrow("Input 'incompatible-blender' must be fail or skip, got 'ignore'.");
  });

  it('reads durations with units; a bare number is seconds, or milliseconds for pump-interval', () => {
    const config = parseRunConfig({ ...addon, 'startup-timeout': '45', 'probe-timeout': '500ms', 'shutdown-timeout': '1.5m', 'pump-interval': '5' });
    expect(config).toMatchObject({ startupTimeoutMs: 45_000, probeTimeoutMs: 500, shutdownTimeoutMs: 90_000, pumpIntervalMs: 5 });
    expect(parseRunConfig({ ...addon, 'max-reply-size': '500 KB' }).maxReplyBytes).toBe(500_000);
    expect(parseRunConfig({ ...addon, 'max-reply-size': '1.5MiB' }).maxReplyBytes).toBe(1.5 * 1024 * 1024);
    expect(parseRunConfig({ ...addon, 'max-reply-size': '4096' }).maxReplyBytes).toBe(4096);
  });

  it('takes list inputs as newline-separated text (action) or repeated values (CLI)', () => {
    expect(parseRunConfig({ ...addon, probes: 'a.json\n\n  b/*.json  \n' }).probes).toEqual(['a.json', 'b/*.json']);
    expect(parseRunConfig({ ...addon, probes: ['a.json', 'b/*.json'] }).probes).toEqual(['a.json', 'b/*.json']);
    expect(parseRunConfig({ ...addon, env: ['A=1', 'B=x=y', 'EMPTY='] }).env).toEqual({ A: '1', B: 'x=y', EMPTY: '' });
  });

  it('keeps the last of a repeated single-value flag, and treats empty as not given', () => {
    expect(parseRunConfig({ ...addon, port: ['1000', '2000'] }).port).toBe(2000);
    expect(parseRunConfig({ ...addon, port: '', host: '' }).port).toBeUndefined();
  });

  it('splits blender-args like a shell', () => {
    expect(parseRunConfig({ ...addon, 'blender-args': '--threads 1 --debug-value "1 2"' }).blenderArgs).toEqual(['--threads', '1', '--debug-value', '1 2']);
  });

  it.each([
    [{ port: '0' }, "Input 'port' must be a whole number from 1 to 65535, got '0'."],
    [{ port: '65536' }, "Input 'port' must be a whole number from 1 to 65535, got '65536'."],
    [{ port: '80.5' }, "Input 'port' must be a whole number from 1 to 65535, got '80.5'."],
    [{ 'probe-timeout': '0s' }, "Input 'probe-timeout' must be a positive duration such as 500ms, 30s, 2m or 45, got '0s'."],
    [{ 'max-reply-size': '64 parsecs' }, "Input 'max-reply-size' must be a size such as 64MiB, 500KB or 1048576 (bytes), got '64 parsecs'."],
    [{ 'pump-interval': 'fast' }, "Input 'pump-interval' must be a positive duration such as 250ms, 2s or 50, got 'fast'."],
    [{ pump: 'my_addon.step' }, "Input 'pump' must be module:function, such as my_addon.server:step."],
    [{ 'addon-module': 'my-addon' }, "Input 'addon-module' must be a Python module name such as my_addon."],
    [
      { env: 'A=1\nhunter2' },
      "Input 'env' must be KEY=VALUE lines (a name of letters, digits and _, then =); entry 2 is not, and is not shown here in case it holds a secret.",
    ],
    [{ cache: 'maybe' }, "Input 'cache' must be true or false, got 'maybe'."],
    [{ mirror: 'ftp://x' }, "Input 'mirror' must be http(s) URLs, one per line, got 'ftp://x'."],
    [{ mode: 'build' }, "Input 'mode' must be test, versions or report, got 'build'."],
    [{ deprecations: 'loud' }, "Input 'deprecations' must be warn or fail, got 'loud'."],
    [{ 'test-workers': 'many' }, "Input 'test-workers' must be a number of workers from 1 to 64, or auto, got 'many'."],
    [{ shard: '5/4' }, "Input 'shard' must be <index>/<total> with 1 ≤ index ≤ total (e.g. 2/4 for the second of 4 jobs), got '5/4'."],
    [{ 'coverage-min': '120' }, "Input 'coverage-min' must be a percentage from 0 to 100, such as 80, got '120'."],
    [{ 'blender-path': '/b', 'blender-version': '4.2' }, "Inputs 'blender-path' and 'blender-version' both name a Blender; give one of them."],
  ])('refuses %j with one sentence naming the input', (inputs, sentence) => {
    expect(() => parseRunConfig({ ...addon, ...inputs })).toThrow(new UserError(sentence));
  });

  it("takes no add-on (the workspace's is looked for: src/workspace/), and requires the list in versions mode", () => {
    expect(parseRunConfig({})).toMatchObject({ addon: undefined, tests: [], probes: [] });
    expect(() => parseRunConfig({ mode: 'versions' })).toThrow("Input 'versions' is required with mode: versions");
    expect(parseRunConfig({ mode: 'versions', versions: 'lts, daily' })).toMatchObject({ mode: 'versions', versions: 'lts, daily' });
    expect(() => parseRunConfig({ mode: 'report' })).toThrow("Input 'results' is required with mode: report");
    expect(parseRunConfig({ mode: 'report', results: ['results/*.json'] })).toMatchObject({ mode: 'report', results: ['results/*.json'] });
  });

  it('reads provisioning inputs: version, mirrors, cache', () => {
    expect(parseRunConfig({ ...addon, 'blender-version': '4.2', mirror: 'https://m.example/release/\nhttp://x/r', cache: 'false' })).toMatchObject({
      blenderVersion: '4.2',
      mirrors: ['https://m.example/release', 'http://x/r'],
      cache: false,
    });
  });

  it('test-timeout: none by default (unittest and pytest have none), else a duration', () => {
    expect(parseRunConfig({ ...addon, 'test-timeout': '10m' }).testTimeoutMs).toBe(600_000);
    expect(() => parseRunConfig({ ...addon, 'test-timeout': 'soon' })).toThrow(
      "Input 'test-timeout' must be a positive duration such as 500ms, 30s, 2m or 45, got 'soon'.",
    );
  });

  it('the add-on health inputs: modes, reload cycles, a memory limit that needs reload-check', () => {
    expect(
      parseRunConfig({
        ...addon,
        'addon-errors': 'warn',
        'unregister-check': 'off',
        'unregister-grace': '2',
        'reload-check': '3',
        'max-memory-growth': '20MiB',
      }),
    ).toMatchObject({
      addonErrors: 'warn',
      unregisterCheck: 'off',
      unregisterGraceMs: 2000,
      reloadCheck: 3,
      maxMemoryGrowthBytes: 20 * 1024 * 1024,
    });
    expect(() => parseRunConfig({ ...addon, 'unregister-check': 'maybe' })).toThrow("Input 'unregister-check' must be fail, warn or off, got 'maybe'.");
    expect(() => parseRunConfig({ ...addon, 'reload-check': '-1' })).toThrow("Input 'reload-check' must be a number of reload cycles from 0 to 100, got '-1'.");
    expect(() => parseRunConfig({ ...addon, 'max-memory-growth': 'lots', 'reload-check': '2' })).toThrow(
      "Input 'max-memory-growth' must be a size such as 20MiB or 500KB, got 'lots'.",
    );
    expect(() => parseRunConfig({ ...addon, 'max-memory-growth': '20MiB' })).toThrow(
      "Input 'max-memory-growth' is measured over the reload cycles: set reload-check too (e.g. reload-check: 3).",
    );
  });

  it('update-snapshots: none, missing, changed or all (by default missing, none under CI=true); snapshot-results', () => {
    expect(parseRunConfig({ ...addon, 'update-snapshots': 'changed', 'snapshot-results': 'out/snapshots' })).toMatchObject({
      updateSnapshots: 'changed',
      snapshotResults: 'out/snapshots',
    });
    expect(() => parseRunConfig({ ...addon, 'update-snapshots': 'yes' })).toThrow("Input 'update-snapshots' must be none, missing, changed or all, got 'yes'.");
  });

  it('the companion: a command, its environment and port; mcp-error-text off or warn', () => {
    expect(
      parseRunConfig({
        ...addon,
        companion: ' uvx blender-remote ',
        'companion-env': ['BLENDER_PORT={port}', 'MODE=ci'],
        'companion-port': '8123',
        'mcp-error-text': 'warn',
      }),
    ).toMatchObject({
      companion: 'uvx blender-remote',
      companionEnv: { BLENDER_PORT: '{port}', MODE: 'ci' },
      companionPort: 8123,
      mcpErrorText: 'warn',
    });
    expect(() => parseRunConfig({ ...addon, 'companion-port': '8123' })).toThrow(
      "Input 'companion-port' is for the companion: set companion too (the command to start).",
    );
    expect(() => parseRunConfig({ ...addon, 'companion-env': ['A=1'] })).toThrow(
      "Input 'companion-env' is for the companion: set companion too (the command to start).",
    );
    expect(() => parseRunConfig({ ...addon, companion: 'x', 'companion-port': '0' })).toThrow(
      "Input 'companion-port' must be a whole number from 1 to 65535, got '0'.",
    );
    expect(() => parseRunConfig({ ...addon, 'mcp-error-text': 'fail' })).toThrow("Input 'mcp-error-text' must be off or warn, got 'fail'.");
  });
});
