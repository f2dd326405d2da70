import { deepEqual, isPlainObject, joinPath, kindOf, preview } from './json-values.js';
import type { Mismatch, SubMatch } from './mismatch.js';
import { OPERATORS, isOperatorObject, operatorAcceptsMissing } from './operators.js';

export interface MatchOptions {
  /** exact deep equality: objects may not have keys the expectation does not list */
  strict: boolean;
}

/** What an operator gets to match nested patterns with the same rules. */

/**
 * Subset match, like Jest's toMatchObject: keys listed in an expected object must match,
 * extra keys in the actual object are fine (unless `strict`); arrays are positional and
 * of the same length. An object whose keys all start with `$` is an operator
 * ({"$gte": 1}); several operators in one object must all hold.
 * Returns the first difference, or undefined when `actual` matches. `actual` is undefined
 * for a missing key, so operators such as $exists can speak to absence.
 */
export function match(expected: unknown, actual: unknown, options: MatchOptions = { strict: false }, path = '$'): Mismatch | undefined {
  if (actual === undefined && !operatorAcceptsMissing(expected)) {
    return { path, expected, actual, reason: `missing (expected ${preview(expected)})` };
  }
  if (isOperatorObject(expected)) {
    const sub: SubMatch = (e, a, p) => match(e, a, options, p);
    for (const [name, operand] of Object.entries(expected)) {
      const mismatch = OPERATORS[name]!.test(operand, actual, path, sub);
      // At this path, the expectation is shown as the probe file writes it ({"$gte": 4}), not
      // as the operator restates it; a mismatch deeper down ($elemMatch, $all) keeps its own.
      if (mismatch) return mismatch.path === path ? { ...mismatch, expected } : mismatch;
    }
    return undefined;
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return { path, expected, actual, reason: `expected an object, got ${kindOf(actual)}: ${preview(actual)}` };
    for (const [key, value] of Object.entries(expected)) {
      const mismatch = match(value, Object.hasOwn(actual, key) ? actual[key] : undefined, options, joinPath(path, key));
      if (mismatch) return mismatch;
    }
    if (options.strict) {
      const extra = Object.keys(actual).find((key) => !Object.hasOwn(expected, key));
      if (extra !== undefined) {
        return { path: joinPath(path, extra), expected: undefined, actual: actual[extra], reason: `unexpected key (strict): ${preview(actual[extra])}` };
      }
    }
    return undefined;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return { path, expected, actual, reason: `expected an array, got ${kindOf(actual)}: ${preview(actual)}` };
    if (actual.length !== expected.length) {
      return { path, expected, actual, reason: `expected ${expected.length} items, got ${actual.length}: ${preview(actual)}` };
    }
    for (let i = 0; i < expected.length; i++) {
      const mismatch = match(expected[i], actual[i], options, `${path}[${i}]`);
      if (mismatch) return mismatch;
    }
    return undefined;
  }
  return deepEqual(expected, actual) ? undefined : { path, expected, actual, reason: `expected ${preview(expected)}, got ${preview(actual)}` };
}

/** "$.result.name: expected "Scene", got "Other"" */
export function describeMismatch(mismatch: Mismatch): string {
  return `${mismatch.path}: ${mismatch.reason}`;
}
