import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const PYTHON_TESTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'python');

// The driver's parts that use no bpy are tested under plain Python 3, each by its unittest file.
describe('the driver’s bpy-free parts (Python unittest)', () => {
  it.each([
    { part: 'the bpy.app.timers replacement', file: 'test_timer_queue.py', count: 10 },
    { part: 'the pump wake', file: 'test_pump_wake.py', count: 4 },
    { part: 'the deprecation log', file: 'test_deprecations.py', count: 5 },
    { part: "the add-on's background errors", file: 'test_addon_errors.py', count: 9 },
    { part: 'the unregister check: where things were made, what still runs', file: 'test_state.py', count: 7 },
    { part: "test files inside the add-on: its submodules, pytest's names for them", file: 'test_in_package.py', count: 7 },
    { part: "the test runner's modules forgotten before a run (--watch)", file: 'test_addon_tests.py', count: 1 },
    { part: 'test scripts: which files are scripts, each run as Blender runs it, its tests reported', file: 'test_script_runner.py', count: 13 },
    { part: "the UI check's printed warnings, wrapped draw code, messages and tracebacks", file: 'test_ui_draw_checks.py', count: 10 },
  ])('$part: passes every case in test/python/$file', async ({ file, count }) => {
    const result = await execa('python3', ['-B', path.join(PYTHON_TESTS, file), '-v'], { reject: false });
    expect(result.stderr).toMatch(new RegExp(`^Ran ${count} tests? in `, 'm'));
    expect(result.stderr).toMatch(/^OK$/m);
    expect(result.exitCode).toBe(0);
  });
});
