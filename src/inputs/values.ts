import { z } from 'zod';
import { type DurationUnit, parseDuration } from '../duration.js';

/**
 * The shapes input values come in (text, durations, ports, KEY=VALUE lines, booleans, lists),
 * each with the one sentence that says what a bad value should have been.
 */

export const PYTHON_DOTTED_NAME = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/;
const ENV_LINE = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

export const text = z.string().trim();
export const optionalText = text.transform((value) => (value === '' ? undefined : value)).optional();

/** An input that may be left out, read by `parse`: its value, or the sentence saying what is wrong with it. */
export function optionalParsed<T extends object>(parse: (value: string) => T | string) {
  return optionalText.transform((value, ctx) => {
    if (value === undefined) return undefined;
    const parsed = parse(value);
    if (typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }
    return parsed;
  });
}

export function duration(bareUnit: DurationUnit) {
  return text.transform((value, ctx) => positiveDuration(value, bareUnit, ctx));
}

/** A duration input that may be left out (no limit). */
export function optionalDuration(bareUnit: DurationUnit) {
  return optionalText.transform((value, ctx) => (value === undefined ? undefined : positiveDuration(value, bareUnit, ctx)));
}

function positiveDuration(value: string, bareUnit: DurationUnit, ctx: z.RefinementCtx): number {
  const ms = parseDuration(value, bareUnit);
  if (ms === undefined || ms <= 0) {
    const example = bareUnit === 'ms' ? '250ms, 2s or 50' : '500ms, 30s, 2m or 45';
    ctx.addIssue({ code: 'custom', message: `must be a positive duration such as ${example}, got '${value}'` });
    return z.NEVER;
  }
  return ms;
}

export const port = text
  .transform((value, ctx) => {
    const number = Number(value);
    if (value === '' || !Number.isInteger(number) || number < 1 || number > 65535) {
      ctx.addIssue({ code: 'custom', message: `must be a whole number from 1 to 65535, got '${value}'` });
      return z.NEVER;
    }
    return number;
  })
  .optional();

export const envLines = z.array(z.string()).transform((lines, ctx) => {
  const env: Record<string, string> = {};
  const entries = lines.map((l) => l.trim()).filter((l) => l !== '');
  for (const [index, line] of entries.entries()) {
    const match = ENV_LINE.exec(line);
    if (!match) {
      // Never the line itself: a value (or a value pasted without its name) may be a secret.
      ctx.addIssue({
        code: 'custom',
        message: `must be KEY=VALUE lines (a name of letters, digits and _, then =); entry ${index + 1} is not, and is not shown here in case it holds a secret`,
      });
      return z.NEVER;
    }
    env[match[1]!] = match[2]!;
  }
  return env;
});

export const boolean = text.transform((value, ctx) => {
  if (/^(true|yes|1|on)$/i.test(value)) return true;
  if (/^(false|no|0|off)$/i.test(value)) return false;
  ctx.addIssue({ code: 'custom', message: `must be true or false, got '${value}'` });
  return z.NEVER;
});

/** A list input's lines, trimmed, blank ones dropped. */
export const lines = z.array(z.string()).transform((given) => given.map((l) => l.trim()).filter((l) => l !== ''));

/** One of `choices`, said as "must be a, b or c" otherwise. */
export function oneOf<const T extends readonly [string, ...string[]]>(choices: T) {
  const said = choices.length === 1 ? choices[0] : `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
  return z.enum(choices, { error: (issue) => `must be ${said}, got '${String(issue.input)}'` });
}
