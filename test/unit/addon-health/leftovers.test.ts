import { describe, expect, it } from 'vitest';
import { addonLeftoversOf, describeAddonLeftover, unownedLeftoversOf } from '../../../src/addon-health/leftovers.js';
import { userPaths } from '../../../src/addon/source-map.js';
import { leftover } from '../../helpers/health.js';

const STAGED = '/tmp/blender-bg-action/run-1/profile/scripts/addons/sloppy';
const paths = userPaths([{ path: STAGED, source: { root: '/work/repo/sloppy', archive: undefined, shownAs: 'sloppy' } }], '/work/repo');

describe('what unregister() left, as reports name it', () => {
  it('the driver’s records on the user’s files, with the phase they were found in', () => {
    const [mapped] = addonLeftoversOf(
      [
        {
          kind: 'port',
          name: 'port 127.0.0.1:7301',
          detail: 'still listening',
          file: `${STAGED}/server.py`,
          line: 153,
          function: 'register',
          holder: { kind: 'thread', name: "thread 'srv'", file: `${STAGED}/server.py`, line: 115, function: 'serve' },
        },
      ],
      'reload 1/3',
      paths,
    );
    expect(mapped).toEqual({
      kind: 'port',
      name: 'port 127.0.0.1:7301',
      detail: 'still listening',
      file: 'sloppy/server.py',
      line: 153,
      function: 'register',
      holder: { name: "thread 'srv'", file: 'sloppy/server.py', line: 115, function: 'serve' },
      count: 1,
      phase: 'reload 1/3',
    });
    expect(describeAddonLeftover(mapped!)).toBe(
      "port 127.0.0.1:7301 still listening, sloppy/server.py:153 (thread 'srv' holds it, at sloppy/server.py:115 in serve)",
    );
  });

  it('a thread or task is placed where it is now (with its function); something made is placed where it was made; no place: its name alone', () => {
    expect(describeAddonLeftover(leftover())).toBe('load_post handler on_load, sloppy/__init__.py:39');
    expect(describeAddonLeftover(leftover({ kind: 'thread', name: "thread 'srv' (daemon)", detail: 'still running', line: 115, function: 'serve' }))).toBe(
      "thread 'srv' (daemon) still running, sloppy/__init__.py:115 in serve",
    );
    expect(describeAddonLeftover(leftover({ kind: 'keymap', name: "keymap item x.y (P PRESS) in '3D View'", count: 2 }))).toBe(
      "keymap item x.y (P PRESS) in '3D View' (2 times), sloppy/__init__.py:39",
    );
    expect(describeAddonLeftover(leftover({ kind: 'property', name: 'Scene.level', file: undefined, line: undefined }))).toBe('Scene.level');
  });

  it('a record whose owner cannot be told goes to the unowned list, never the add-on’s', () => {
    const records = [
      { kind: 'keymap', name: 'keymap item sloppy.ping', file: `${STAGED}/__init__.py`, line: 148, function: null },
      {
        kind: 'keymap',
        name: 'keymap item poselib.apply',
        file: null,
        line: null,
        function: null,
        owner: 'unknown' as const,
        detail: '(whose it is cannot be told)',
      },
    ];
    expect(addonLeftoversOf(records, 'teardown', paths).map((l) => l.name)).toEqual(['keymap item sloppy.ping']);
    expect(unownedLeftoversOf(records, 'teardown', paths).map((l) => [l.name, l.file])).toEqual([['keymap item poselib.apply', undefined]]);
  });
});
