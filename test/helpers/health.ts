import type { AddonError } from '../../src/addon-health/errors.js';
import type { AddonLeftover } from '../../src/addon-health/leftovers.js';

/** A background error as the pipeline hands it to the reports (a timer's, on the user's file). */
export function addonError(extra: Partial<AddonError> = {}): AddonError {
  return {
    kind: 'timer',
    where: 'bpy.app.timers function tick',
    message: 'ZeroDivisionError: division by zero',
    file: 'sloppy/__init__.py',
    line: 47,
    function: 'tick',
    traceback: 'Traceback…',
    count: 1,
    ...extra,
  };
}

/** Something unregister() left (a handler), found at teardown. */
export function leftover(extra: Partial<AddonLeftover> = {}): AddonLeftover {
  return {
    kind: 'handler',
    name: 'load_post handler on_load',
    detail: undefined,
    file: 'sloppy/__init__.py',
    line: 39,
    function: 'on_load',
    holder: undefined,
    count: 1,
    phase: 'teardown',
    ...extra,
  };
}
