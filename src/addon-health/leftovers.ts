import type { UserPaths } from '../addon/source-map.js';
import type { LeftoverRecord } from '../session/driver-protocol.js';

/**
 * Something the add-on left in Blender after its unregister() ran, named with the add-on's line
 * that made it (python/blender_bg/health/state.py), as the user's file.
 */
export interface AddonLeftover {
  /** handler, timer, class, property, draw, keymap, thread, port, socket, task, process */
  kind: string;
  /** "load_post handler on_load", "port 127.0.0.1:7301" */
  name: string;
  /** "still running", "still listening" */
  detail: string | undefined;
  file: string | undefined;
  line: number | undefined;
  function: string | undefined;
  /** the thread holding a port that still listens, and where it is */
  holder: { name: string; file: string | undefined; line: number | undefined; function: string | undefined } | undefined;
  count: number;
  /** when it was found: "teardown", "reload 1/3", "teardown (test worker 2)" */
  phase: string;
}

/** What the add-on's unregister() left: the records whose owner is the add-on (see unownedLeftoversOf for the rest). */
export function addonLeftoversOf(records: LeftoverRecord[], phase: string, paths: UserPaths): AddonLeftover[] {
  return leftoversOf(
    records.filter((r) => r.owner !== 'unknown'),
    phase,
    paths,
  );
}

/**
 * What was added while the add-on was enabled but cannot be told to be its own (a keymap item
 * of a bundled add-on a test's factory reset enabled again, when nothing names its operator):
 * said in the report, never counted as the add-on's leftover nor put on its line.
 */
export function unownedLeftoversOf(records: LeftoverRecord[], phase: string, paths: UserPaths): AddonLeftover[] {
  return leftoversOf(
    records.filter((r) => r.owner === 'unknown'),
    phase,
    paths,
  );
}

function leftoversOf(records: LeftoverRecord[], phase: string, paths: UserPaths): AddonLeftover[] {
  const place = (r: Pick<LeftoverRecord, 'file' | 'line' | 'function'>) => ({
    file: r.file ? paths.file(r.file) : undefined,
    line: r.line ?? undefined,
    function: r.function ?? undefined,
  });
  return records.map((r) => ({
    kind: r.kind,
    name: r.name,
    detail: r.detail,
    ...place(r),
    holder: r.holder ? { name: r.holder.name, ...place(r.holder) } : undefined,
    count: r.count ?? 1,
    phase,
  }));
}

/** Kinds whose line is where the code is now (a thread's, a task's), not where it was made. */
const WHERE_IT_IS = new Set(['thread', 'task']);

/**
 * "load_post handler on_load, sloppy/__init__.py:39";
 * "port 127.0.0.1:7301 still listening, sloppy/__init__.py:153 (thread 'sloppy-server' holds it, at sloppy/__init__.py:115 in serve)".
 */
export function describeAddonLeftover(leftover: AddonLeftover): string {
  const times = leftover.count > 1 ? ` (${leftover.count} times)` : '';
  const name = `${leftover.name}${leftover.detail ? ` ${leftover.detail}` : ''}${times}`;
  const at = placeText(leftover, WHERE_IT_IS.has(leftover.kind));
  const holder = leftover.holder ? ` (${leftover.holder.name} holds it${leftover.holder.file ? `, at ${placeText(leftover.holder, true)}` : ''})` : '';
  return `${name}${at ? `, ${at}` : ''}${holder}`;
}

function placeText(place: { file: string | undefined; line: number | undefined; function: string | undefined }, withFunction: boolean): string | undefined {
  if (!place.file) return undefined;
  const line = place.line ? `:${place.line}` : '';
  return `${place.file}${line}${withFunction && place.function ? ` in ${place.function}` : ''}`;
}
