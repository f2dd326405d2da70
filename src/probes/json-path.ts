/**
 * The JSON paths probe files use for captures, and reports use for mismatches:
 * `$`, `.key`, `[0]`, `["odd key"]`. One small grammar for both, so a path printed in a
 * failure can be pasted into a capture.
 */
export type PathSegment = string | number;

const SEGMENT = /^(?:\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\['((?:[^'\\]|\\.)*)'\])/;

/** Parses a path, or returns a message saying what is wrong with it. */
export function parsePath(path: string): PathSegment[] | string {
  if (!path.startsWith('$')) return `must start with $`;
  const segments: PathSegment[] = [];
  let rest = path.slice(1);
  while (rest !== '') {
    const match = SEGMENT.exec(rest);
    if (!match) return `cannot read '${rest}' (use .key, [0] or ["key"])`;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else if (match[3] !== undefined) segments.push(JSON.parse(match[3]) as string);
    else segments.push(match[4]!.replace(/\\(.)/g, '$1'));
    rest = rest.slice(match[0].length);
  }
  return segments;
}

/** The value at `segments`, or undefined when any step of the way is missing. */
export function valueAt(value: unknown, segments: PathSegment[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<string, unknown>)[segment];
    }
  }
  return current;
}
