import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTROL_OPS, DRIVER_EXIT, controlRequestLine, driverPackagePath } from '../../../src/session/driver-protocol.js';

/** One module of the driver's package (python/blender_bg/, a path such as driver/protocol), or all of them as one text. */
function driverSource(module?: string): string {
  const dir = driverPackagePath();
  const files = module ? [`${module}.py`] : readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.py'));
  return files.map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
}

describe('the driver protocol, one definition on each side', () => {
  it("the driver's exit codes are the ones the TypeScript side names", () => {
    const python = driverSource('driver/protocol');
    const constants = Object.fromEntries([...python.matchAll(/^EXIT_([A-Z_]+) = (\d+)$/gm)].map(([, name, code]) => [name!, Number(code)]));
    expect(constants).toEqual({
      CONFIG_INVALID: DRIVER_EXIT.configInvalid,
      ADDON_ENABLE_FAILED: DRIVER_EXIT.addonEnableFailed,
      STARTUP_FAILED: DRIVER_EXIT.startupFailed,
      PUMP_INVALID: DRIVER_EXIT.pumpInvalid,
      ADDON_NOT_STAGED: DRIVER_EXIT.addonNotStaged,
      COVERAGE_MISSING: DRIVER_EXIT.coverageMissing,
    });
    // driverCrashed is Blender's own --python-exit-code: no constant in the driver, and distinct.
    expect(Object.values(constants)).not.toContain(DRIVER_EXIT.driverCrashed);
  });

  it('the driver reads every config key the TypeScript side writes, and writes the stop record fields it reads', () => {
    const python = driverSource();
    for (const key of [
      'addon_module',
      'addon_path',
      'addon_kind',
      'python_paths',
      'extension_repository',
      'startup',
      'pump',
      'pump_interval',
      'pump_wake',
      'ready_file',
      'control_token',
      'stop_file',
      'deprecations_file',
      'coverage',
      'addon_port',
      'addon_host',
      'addon_source_name',
      'addon_errors_file',
      'unregister_check',
      'unregister_grace',
    ]) {
      expect(python, key).toMatch(new RegExp(`config(\\.get\\(|\\[)"${key}"`));
    }
    for (const field of ['stopping=', 'clean=', 'descendants=', 'leftovers=', 'usage=', 'checkTimings=']) expect(python, field).toContain(field);
  });

  it('every control-channel op the TypeScript side sends is one the driver handles, and each line carries the token', () => {
    const python = driverSource('driver/control');
    const handled = new Set(
      [...python.matchAll(/op == "(\w+)"|op in \(([^)]*)\)/g)].flatMap(([, one, many]) =>
        one ? [one] : many!.split(',').map((o) => o.trim().replace(/"/g, '')),
      ),
    );
    expect([...CONTROL_OPS].sort()).toEqual([...handled].sort());
    expect(JSON.parse(controlRequestLine('t0k', 'tests', { files: ['a.py'], token: 'spoofed' }))).toEqual({ files: ['a.py'], token: 't0k', op: 'tests' });
  });
});
