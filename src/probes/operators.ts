import { deepEqual, isPlainObject, kindOf, preview } from './json-values.js';
import type { Mismatch, SubMatch } from './mismatch.js';
import { compileSchema } from './schema-cache.js';

/**
 * What an operand must be. The loader checks operands with these before anything runs
 * (operand-checks.ts), so a typo in a probe file is a `file:line:col` error, not a failing step.
 */
export type OperandKind =
  'any' | 'number' | 'string' | 'boolean' | 'true' | 'array' | 'regex' | 'types' | 'pattern' | 'patterns' | 'size' | 'closeTo' | 'schema';

export interface Operator {
  operand: OperandKind;
  /** operators that can pass when the key is absent look at `undefined` themselves */
  acceptsMissing?: boolean;
  test(operand: unknown, actual: unknown, path: string, sub: SubMatch): Mismatch | undefined;
}

export const JSON_TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'array', 'object'] as const;

const fail = (path: string, expected: unknown, actual: unknown, reason: string): Mismatch => ({ path, expected, actual, reason });

function compare(symbol: string, holds: (a: number, b: number) => boolean): Operator {
  return {
    operand: 'number',
    test: (operand, actual, path) =>
      typeof actual === 'number' && holds(actual, operand as number)
        ? undefined
        : fail(path, { [`$${symbol}`]: operand }, actual, `expected a number ${symbol} ${String(operand)}, got ${preview(actual)}`),
  };
}

function stringTest(describe: string, holds: (actual: string, operand: string) => boolean): Operator {
  return {
    operand: 'string',
    test: (operand, actual, path) =>
      typeof actual === 'string' && holds(actual, operand as string)
        ? undefined
        : fail(path, operand, actual, `expected a string ${describe} ${JSON.stringify(operand)}, got ${preview(actual)}`),
  };
}

export function regexOf(operand: unknown): RegExp {
  if (typeof operand === 'string') return new RegExp(operand);
  const { pattern, flags } = operand as { pattern: string; flags?: string };
  return new RegExp(pattern, flags);
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(value);
  return typeOf(value) === type;
}

function sizeOf(value: unknown): number | undefined {
  if (Array.isArray(value) || typeof value === 'string') return value.length;
  if (isPlainObject(value)) return Object.keys(value).length;
  return undefined;
}

export const OPERATORS: Record<string, Operator> = {
  $eq: {
    operand: 'any',
    test: (operand, actual, path) =>
      deepEqual(operand, actual) ? undefined : fail(path, operand, actual, `expected exactly ${preview(operand)}, got ${preview(actual)}`),
  },
  $ne: {
    operand: 'any',
    test: (operand, actual, path) =>
      deepEqual(operand, actual) ? fail(path, { $ne: operand }, actual, `expected anything but ${preview(operand)}`) : undefined,
  },
  $gt: compare('>', (a, b) => a > b),
  $gte: compare('>=', (a, b) => a >= b),
  $lt: compare('<', (a, b) => a < b),
  $lte: compare('<=', (a, b) => a <= b),
  $in: {
    operand: 'array',
    test: (operand, actual, path) =>
      (operand as unknown[]).some((v) => deepEqual(v, actual))
        ? undefined
        : fail(path, { $in: operand }, actual, `expected one of ${preview(operand)}, got ${preview(actual)}`),
  },
  $nin: {
    operand: 'array',
    test: (operand, actual, path) =>
      (operand as unknown[]).some((v) => deepEqual(v, actual))
        ? fail(path, { $nin: operand }, actual, `expected none of ${preview(operand)}, got ${preview(actual)}`)
        : undefined,
  },
  $regex: {
    operand: 'regex',
    test: (operand, actual, path) => {
      const regex = regexOf(operand);
      return typeof actual === 'string' && regex.test(actual)
        ? undefined
        : fail(path, { $regex: operand }, actual, `expected a string matching ${regex}, got ${preview(actual)}`);
    },
  },
  $contains: {
    operand: 'any',
    test: (operand, actual, path, sub) => {
      if (typeof actual === 'string' && typeof operand === 'string') {
        return actual.includes(operand)
          ? undefined
          : fail(path, { $contains: operand }, actual, `expected a string containing ${JSON.stringify(operand)}, got ${preview(actual)}`);
      }
      if (Array.isArray(actual) && actual.some((item, i) => !sub(operand, item, `${path}[${i}]`))) return undefined;
      return fail(
        path,
        { $contains: operand },
        actual,
        `expected ${typeof operand === 'string' ? 'a string or an array' : 'an array'} containing ${preview(operand)}, got ${preview(actual)}`,
      );
    },
  },
  $startsWith: stringTest('starting with', (a, o) => a.startsWith(o)),
  $endsWith: stringTest('ending with', (a, o) => a.endsWith(o)),
  $exists: {
    operand: 'boolean',
    acceptsMissing: true,
    test: (operand, actual, path) => {
      if (operand === (actual !== undefined)) return undefined;
      return fail(
        path,
        { $exists: operand },
        actual,
        operand ? 'expected the key to exist, but it is missing' : `expected no such key, got ${preview(actual)}`,
      );
    },
  },
  $any: {
    operand: 'true',
    test: () => undefined, // any value at all, as long as it is there (missing is caught before)
  },
  $type: {
    operand: 'types',
    test: (operand, actual, path) => {
      const types = Array.isArray(operand) ? (operand as string[]) : [operand as string];
      return types.some((t) => hasType(actual, t))
        ? undefined
        : fail(path, { $type: operand }, actual, `expected type ${types.join(' or ')}, got ${typeOf(actual)} ${preview(actual)}`);
    },
  },
  $size: {
    operand: 'size',
    test: (operand, actual, path, sub) => {
      const size = sizeOf(actual);
      if (size === undefined) return fail(path, { $size: operand }, actual, `expected something with a size (array, string or object), got ${kindOf(actual)}`);
      const inner = sub(operand, size, `${path}.length`);
      return inner ? { ...inner, reason: `size ${size} does not match: ${inner.reason}` } : undefined;
    },
  },
  $all: {
    operand: 'patterns',
    test: (operand, actual, path, sub) => {
      if (!Array.isArray(actual)) return fail(path, { $all: operand }, actual, `expected an array, got ${kindOf(actual)}`);
      const missing = (operand as unknown[]).find((pattern) => !actual.some((item, i) => !sub(pattern, item, `${path}[${i}]`)));
      return missing === undefined
        ? undefined
        : fail(path, { $all: operand }, actual, `expected an array with an item matching ${preview(missing)}, got ${preview(actual)}`);
    },
  },
  $elemMatch: {
    operand: 'pattern',
    test: (operand, actual, path, sub) => {
      if (Array.isArray(actual) && actual.some((item, i) => !sub(operand, item, `${path}[${i}]`))) return undefined;
      return fail(path, { $elemMatch: operand }, actual, `expected an array with an item matching ${preview(operand)}, got ${preview(actual)}`);
    },
  },
  $closeTo: {
    operand: 'closeTo',
    test: (operand, actual, path) => {
      const { value, tolerance } = operand as { value: number; tolerance: number };
      return typeof actual === 'number' && Math.abs(actual - value) <= tolerance
        ? undefined
        : fail(path, { $closeTo: operand }, actual, `expected ${value} ± ${tolerance}, got ${preview(actual)}`);
    },
  },
  $not: {
    operand: 'pattern',
    acceptsMissing: true,
    test: (operand, actual, path, sub) =>
      sub(operand, actual, path) ? undefined : fail(path, { $not: operand }, actual, `expected not to match ${preview(operand)}, got ${preview(actual)}`),
  },
  $and: {
    operand: 'patterns',
    acceptsMissing: true,
    test: (operand, actual, path, sub) => {
      for (const pattern of operand as unknown[]) {
        const mismatch = sub(pattern, actual, path);
        if (mismatch) return mismatch;
      }
      return undefined;
    },
  },
  $or: {
    operand: 'patterns',
    acceptsMissing: true,
    test: (operand, actual, path, sub) => {
      const patterns = operand as unknown[];
      const mismatches = patterns.map((pattern) => sub(pattern, actual, path));
      if (mismatches.some((m) => m === undefined)) return undefined;
      return fail(path, { $or: operand }, actual, `matched none of ${patterns.length} alternatives: ${mismatches.map((m) => m!.reason).join('; ')}`);
    },
  },
  $schema: {
    operand: 'schema',
    test: (operand, actual, path) => {
      const validate = compileSchema(operand);
      if (validate(actual)) return undefined;
      const error = validate.errors?.[0];
      const where = error?.instancePath ? ` at ${error.instancePath}` : '';
      return fail(path, { $schema: operand }, actual, `does not match the schema${where}: ${error?.message ?? 'invalid'}, got ${preview(actual)}`);
    },
  },
};

/** An object whose keys all start with `$` is an operator expression. */
export function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

export function operatorAcceptsMissing(expected: unknown): boolean {
  return isOperatorObject(expected) && Object.keys(expected).every((name) => OPERATORS[name]?.acceptsMissing);
}
