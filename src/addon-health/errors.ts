import type { UserPaths } from '../addon/source-map.js';
import { type AddonErrorRecord, DRIVER_PLACE_FIELDS } from '../session/driver-protocol.js';
import { numberField, readCountedRecords, stringField } from '../session/driver-records.js';

/**
 * An exception the add-on's own code raised where no test or probe saw it (a timer, a handler,
 * a thread, an asyncio task, __del__, register(), unregister()), put on the add-on's line: the
 * innermost frame in its files, as the user's file.
 */
export interface AddonError {
  /** timer, callback, thread, asyncio, unraisable, pump, register, unregister */
  kind: string;
  /** "load_post handler on_load", "thread 'sloppy-worker'" */
  where: string;
  /** "ZeroDivisionError: division by zero" */
  message: string;
  file: string | undefined;
  line: number | undefined;
  function: string | undefined;
  /** Python's traceback, naming the user's files */
  traceback: string;
  count: number;
}

/** The driver's record of them (python/blender_bg/health/errors.py): one line per distinct error, the last wins. */
export async function readAddonErrors(file: string): Promise<AddonErrorRecord[]> {
  return readCountedRecords(
    file,
    (entry): AddonErrorRecord | undefined => {
      const kind = stringField(entry, 'kind');
      const where = stringField(entry, 'where');
      const message = stringField(entry, 'message');
      if (kind === undefined || where === undefined || message === undefined) return undefined;
      const place = Object.fromEntries(DRIVER_PLACE_FIELDS.map((f) => [f, entry[f] ?? null])) as Pick<AddonErrorRecord, 'file' | 'line' | 'function'>;
      return { kind, where, message, ...place, traceback: stringField(entry, 'traceback') ?? '', count: numberField(entry, 'count') ?? 1 };
    },
    addonErrorKey,
  );
}

/** One error of the driver's records, however often it was seen. */
export function addonErrorKey(e: AddonErrorRecord): string {
  return JSON.stringify([e.kind, e.where, e.message, e.file, e.line]);
}

/** Errors that belong to loading the add-on's code once: a later load that succeeded supersedes them. */
export const LOAD_ERROR_KINDS: ReadonlySet<string> = new Set(['register', 'unregister']);

/** The driver's records of every session of a run (test workers too), on the user's files; the same error seen by several sessions once, counted. */
export function addonErrorsOf(records: AddonErrorRecord[], paths: UserPaths): AddonError[] {
  const byKey = new Map<string, AddonError>();
  for (const record of records) {
    const error: AddonError = {
      kind: record.kind,
      where: record.where,
      message: paths.text(record.message),
      file: record.file ? paths.file(record.file) : undefined,
      line: record.line ?? undefined,
      function: record.function ?? undefined,
      traceback: paths.text(record.traceback),
      count: record.count,
    };
    const key = JSON.stringify([error.kind, error.where, error.message, error.file, error.line]);
    const seen = byKey.get(key);
    if (seen) seen.count += error.count;
    else byKey.set(key, error);
  }
  return [...byKey.values()];
}

/** "sloppy/__init__.py:47: bpy.app.timers function tick raised ZeroDivisionError: division by zero (3 times)" */
export function describeAddonError(error: AddonError): string {
  const place = error.file ? `${error.file}${error.line ? `:${error.line}` : ''}: ` : '';
  const times = error.count > 1 ? ` (${error.count} times)` : '';
  return `${place}${error.where} raised ${error.message}${times}`;
}
