import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addonErrorsOf, describeAddonError, readAddonErrors } from '../../../src/addon-health/errors.js';
import { userPaths } from '../../../src/addon/source-map.js';
import { addonError } from '../../helpers/health.js';

const STAGED = '/tmp/blender-bg-action/run-1/profile/scripts/addons/sloppy';
const WORKER = '/tmp/blender-bg-action/run-2/profile/scripts/addons/sloppy';
const source = { root: '/work/repo/sloppy', archive: undefined, shownAs: 'sloppy' };
const paths = userPaths(
  [
    { path: STAGED, source },
    { path: WORKER, source },
  ],
  '/work/repo',
);

function record(file: string, count: number) {
  return {
    kind: 'thread',
    where: "thread 'w'",
    message: 'ZeroDivisionError: division by zero',
    file: `${file}/__init__.py`,
    line: 73,
    function: 'worker',
    count,
    traceback: `Traceback (most recent call last):\n  File "${file}/__init__.py", line 73, in worker\n    return 1 / 0\nZeroDivisionError: division by zero\n`,
  };
}

describe("the add-on's background errors, as reports name them", () => {
  it("the driver's file: the last line of an error wins (its final count); torn and foreign lines are skipped", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-errors-'));
    const file = path.join(dir, 'addon-errors.jsonl');
    await writeFile(
      file,
      [JSON.stringify(record(STAGED, 1)), '{"kind": "thread", "wh', JSON.stringify({ note: 'not an error' }), JSON.stringify(record(STAGED, 4))].join('\n'),
    );
    expect((await readAddonErrors(file)).map((e) => e.count)).toEqual([4]);
    expect(await readAddonErrors(path.join(dir, 'missing.jsonl'))).toEqual([]);
  });

  it("every session's records on the user's file, traceback included; the same error from two test workers once, counted", () => {
    const errors = addonErrorsOf([record(STAGED, 2), record(WORKER, 3)], paths);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'sloppy/__init__.py', line: 73, count: 5 });
    expect(errors[0]!.traceback).toContain('File "sloppy/__init__.py", line 73, in worker');
    expect(errors[0]!.traceback).not.toContain('/profile/');
  });

  it('one line: place, where, what, and how often', () => {
    expect(describeAddonError(addonError({ count: 2 }))).toBe(
      'sloppy/__init__.py:47: bpy.app.timers function tick raised ZeroDivisionError: division by zero (2 times)',
    );
    expect(describeAddonError(addonError({ file: undefined }))).toBe('bpy.app.timers function tick raised ZeroDivisionError: division by zero');
  });
});
