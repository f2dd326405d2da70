/** Where and how an actual value differs from an expected one. */
export interface Mismatch {
  /** JSONPath-like location, e.g. $.result.items[2].name */
  path: string;
  expected: unknown;
  actual: unknown;
  /** what kind of difference, in words */
  reason: string;
}

/**
 * Subset match, like Jest's toMatchObject: keys listed in an expected object must match,
 * extra keys in the actual object are fine; arrays are positional and of the same length.
 * Returns the first difference, or undefined when `actual` matches.
 */
export function matchSubset(expected: unknown, actual: unknown, path = '$'): Mismatch | undefined {
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return { path, expected, actual, reason: `expected an object, got ${kindOf(actual)}` };
    for (const [key, value] of Object.entries(expected)) {
      const childPath = joinPath(path, key);
      if (!Object.hasOwn(actual, key)) return { path: childPath, expected: value, actual: undefined, reason: 'missing' };
      const mismatch = matchSubset(value, actual[key], childPath);
      if (mismatch) return mismatch;
    }
    return undefined;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return { path, expected, actual, reason: `expected an array, got ${kindOf(actual)}` };
    if (actual.length !== expected.length) {
      return { path, expected, actual, reason: `expected ${expected.length} items, got ${actual.length}` };
    }
    for (let i = 0; i < expected.length; i++) {
      const mismatch = matchSubset(expected[i], actual[i], `${path}[${i}]`);
      if (mismatch) return mismatch;
    }
    return undefined;
  }
  return Object.is(expected, actual) ? undefined : { path, expected, actual, reason: 'values differ' };
}

/** "$.result.name: expected "Scene", got "Other"" */
export function describeMismatch(mismatch: Mismatch): string {
  const { path, expected, actual, reason } = mismatch;
  if (reason === 'missing') return `${path}: missing (expected ${preview(expected)})`;
  if (reason === 'values differ') return `${path}: expected ${preview(expected)}, got ${preview(actual)}`;
  return `${path}: ${reason}: ${preview(actual)}`;
}

/** Compact JSON for messages, cut to `limit` characters. */
export function preview(value: unknown, limit = 120): string {
  return truncate(value === undefined ? 'undefined' : JSON.stringify(value), limit);
}

export function truncate(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function joinPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}
