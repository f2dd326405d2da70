import { isPlainObject, preview } from './json-values.js';
import { JSON_TYPES, OPERATORS, type OperandKind, isOperatorObject, regexOf } from './operators.js';
import { compileSchema } from './schema-cache.js';
import { references } from './template.js';

/** A problem in an expectation, found before anything runs. `path` is relative to the expectation. */
export interface PatternProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Every problem in an expectation: unknown operators, operators mixed with plain keys,
 * operands of the wrong shape. Patterns inside operands are checked the same way.
 */
export function checkPattern(pattern: unknown, path: (string | number)[] = []): PatternProblem[] {
  if (Array.isArray(pattern)) return pattern.flatMap((item, i) => checkPattern(item, [...path, i]));
  if (!isPlainObject(pattern)) return [];
  const keys = Object.keys(pattern);
  const dollar = keys.filter((k) => k.startsWith('$'));
  if (dollar.length === 0) return keys.flatMap((key) => checkPattern(pattern[key], [...path, key]));
  if (dollar.length !== keys.length) {
    return [{ path: [...path, dollar[0]!], message: `'${dollar[0]}' cannot stand beside plain keys; wrap a literal key in {"$eq": ...}` }];
  }
  return dollar.flatMap((name) => {
    const operator = OPERATORS[name];
    if (!operator) return [{ path: [...path, name], message: `unknown operator '${name}'${suggest(name)}` }];
    return checkOperand(name, operator.operand, pattern[name], [...path, name]);
  });
}

function checkOperand(name: string, kind: OperandKind, operand: unknown, path: (string | number)[]): PatternProblem[] {
  const problem = (message: string) => [{ path, message: `${name} ${message}` }];
  // {"$gt": "{{count}}"}: its value is known once the step runs, and checked then (run.ts).
  if (typeof operand === 'string' && kind !== 'string' && references(operand).length > 0) return [];
  switch (kind) {
    case 'any':
      return [];
    case 'number':
      return typeof operand === 'number' ? [] : problem('takes a number');
    case 'string':
      return typeof operand === 'string' ? [] : problem('takes a string');
    case 'boolean':
      return typeof operand === 'boolean' ? [] : problem('takes true or false');
    case 'true':
      return operand === true ? [] : problem('takes true');
    case 'array':
      return Array.isArray(operand) ? [] : problem('takes an array of values');
    case 'regex': {
      const shaped = typeof operand === 'string' || (isPlainObject(operand) && typeof operand['pattern'] === 'string');
      if (!shaped) return problem('takes a regular expression string, or {"pattern": ..., "flags": ...}');
      try {
        regexOf(operand);
        return [];
      } catch (error) {
        return problem(`has an invalid regular expression: ${(error as Error).message}`);
      }
    }
    case 'types': {
      const types: unknown[] = Array.isArray(operand) ? operand : [operand];
      const bad = types.find((t) => !(JSON_TYPES as readonly unknown[]).includes(t));
      return bad === undefined && types.length > 0 ? [] : problem(`takes one of ${JSON_TYPES.join(', ')} (or an array of them), got ${preview(bad)}`);
    }
    case 'pattern':
      return checkPattern(operand, path);
    case 'patterns':
      return Array.isArray(operand) && operand.length > 0 ? checkPattern(operand, path) : problem('takes a non-empty array of patterns');
    case 'size':
      return typeof operand === 'number' || isOperatorObject(operand)
        ? checkPattern(operand, path)
        : problem('takes a number or an operator such as {"$gte": 1}');
    case 'closeTo':
      return isPlainObject(operand) && typeof operand['value'] === 'number' && typeof operand['tolerance'] === 'number' && Object.keys(operand).length === 2
        ? []
        : problem('takes {"value": number, "tolerance": number}');
    case 'schema':
      try {
        compileSchema(operand);
        return [];
      } catch (error) {
        return problem(`is not a valid JSON Schema: ${(error as Error).message}`);
      }
  }
}

/** " (did you mean '$gte'?)" for a near miss such as '$gtr' or '$Regex'. */
function suggest(name: string): string {
  const lower = name.toLowerCase();
  const near = Object.keys(OPERATORS).find((known) => known.toLowerCase() === lower || editDistance(known, name) <= 2);
  return near ? ` (did you mean '${near}'?)` : '';
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
