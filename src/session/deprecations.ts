import { numberField, readCountedRecords, stringField } from './driver-records.js';

/**
 * A deprecation seen during the session: one of Python's warnings the driver attributed to
 * an add-on (or test) line, or a notice Blender printed. `file` is as the driver or Blender
 * named it; the pipeline maps a staged file back to the user's.
 */
export interface Deprecation {
  source: 'python' | 'blender';
  /** DeprecationWarning, PendingDeprecationWarning, FutureWarning; "Blender" for a notice */
  category: string;
  message: string;
  file: string | undefined;
  line: number | undefined;
  count: number;
}

/**
 * The driver's deprecations file (python/blender_bg/health/deprecations.py): its counted records
 * (driver-records.ts), the last line of a key wins.
 */
export async function readDriverDeprecations(file: string): Promise<Deprecation[]> {
  return readCountedRecords(
    file,
    (entry): Deprecation | undefined => {
      const category = stringField(entry, 'category');
      const message = stringField(entry, 'message');
      if (category === undefined || message === undefined) return undefined;
      return {
        source: 'python',
        category,
        message,
        file: stringField(entry, 'file'),
        line: numberField(entry, 'line'),
        count: numberField(entry, 'count') ?? 1,
      };
    },
    (d) => JSON.stringify([d.category, d.message, d.file, d.line]),
  );
}

/** What Blender says when something is going away ("'bgl' imported without an OpenGL backend. Please update your add-ons…"). */
const NOTICE = /\bdeprecat|\bwill be removed\b|\bPlease update your add-ons?\b|\bno longer supported\b/i;
/** A file and line a notice names: `File "x.py", line 12` or `x.py:12`. */
const PLACE = /File "([^"]+\.py)", line (\d+)|((?:[A-Za-z]:)?[^\s:"']+\.py):(\d+)/;

/**
 * Lines that are not Blender speaking: the driver's, a traceback's frames and code (indented),
 * a test runner's report of a failure (pytest's "____ test_x ____", "E   ...", "> code").
 */
const NOT_A_NOTICE = /^(\s|\[blender-bg\]|_{3,}|E\s|>\s|FAILED\b|ERROR\b|Traceback\b)/;

/**
 * Blender's own deprecation notices in its output, each distinct one once with a count: a
 * line that says something is deprecated, will be removed, or asks to update add-ons.
 */
export class BlenderNotices {
  private readonly notices = new Map<string, Deprecation>();

  offer(line: string): void {
    if (NOT_A_NOTICE.test(line) || !NOTICE.test(line)) return;
    const text = line.trim();
    const place = PLACE.exec(text);
    const file = place?.[1] ?? place?.[3];
    const lineNumber = place ? Number(place[2] ?? place[4]) : undefined;
    const existing = this.notices.get(text);
    if (existing) existing.count += 1;
    else this.notices.set(text, { source: 'blender', category: 'Blender', message: text, file, line: lineNumber, count: 1 });
  }

  list(): Deprecation[] {
    return [...this.notices.values()];
  }
}

/** "src/ops.py:12: DeprecationWarning: old_api is deprecated" (a notice without a place: its words). */
export function describeDeprecation(deprecation: Deprecation): string {
  const place = deprecation.file ? `${deprecation.file}${deprecation.line ? `:${deprecation.line}` : ''}: ` : '';
  return `${place}${deprecation.category}: ${deprecation.message.replace(/\.$/, '')}`;
}

/** The same deprecation seen by several Blenders (test workers): one entry, the counts added up. */
export function mergeDeprecations(deprecations: Deprecation[]): Deprecation[] {
  const byKey = new Map<string, Deprecation>();
  for (const d of deprecations) {
    const key = JSON.stringify([d.source, d.category, d.message, d.file, d.line]);
    const seen = byKey.get(key);
    if (seen) seen.count += d.count;
    else byKey.set(key, { ...d });
  }
  return [...byKey.values()];
}
