import { StepError } from './step-error.js';
import { isPlainObject } from './json-values.js';

/** A {{name}} that cannot be filled: unknown, not captured (its step failed), or an unset env var. */
/** A {{name}} with no value: another attempt would not give it one. */
export class TemplateError extends StepError {
  override readonly name = 'TemplateError';

  constructor(message: string) {
    super(message, false);
  }
}

const REFERENCE = /\{\{\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)\s*\}\}/g;
const WHOLE = /^\{\{\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?)\s*\}\}$/;

/** Where {{name}} values come from: the file's vars and captures, and `env.NAME`. */
export class Scope {
  private readonly values = new Map<string, unknown>();

  constructor(
    vars: Record<string, unknown> = {},
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    for (const [name, value] of Object.entries(vars)) this.values.set(name, value);
  }

  set(name: string, value: unknown): void {
    this.values.set(name, value);
  }

  get(name: string): unknown {
    if (name.startsWith('env.')) {
      const value = this.env[name.slice(4)];
      if (value === undefined) throw new TemplateError(`{{${name}}}: the environment variable ${name.slice(4)} is not set`);
      return value;
    }
    if (!this.values.has(name)) throw new TemplateError(`{{${name}}} has no value (was the step that captures it skipped or failed?)`);
    return this.values.get(name);
  }
}

/**
 * Fills {{name}} references throughout a JSON value. A string that is exactly "{{name}}"
 * becomes the variable's value with its type (a number stays a number); elsewhere the
 * value is written into the string (strings as they are, other values as JSON).
 */
export function render(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') return renderString(value, scope);
  if (Array.isArray(value)) return value.map((item) => render(item, scope));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, scope)]));
  return value;
}

function renderString(text: string, scope: Scope): unknown {
  const whole = WHOLE.exec(text);
  if (whole) return scope.get(whole[1]!);
  return text.replace(REFERENCE, (_, name: string) => {
    const value = scope.get(name);
    return typeof value === 'string' ? value : JSON.stringify(value);
  });
}

/** Every {{name}} in a JSON value, with the path (keys and indexes) of the string it is in. */
export function references(value: unknown, path: (string | number)[] = []): { name: string; path: (string | number)[] }[] {
  if (typeof value === 'string') return [...value.matchAll(REFERENCE)].map((m) => ({ name: m[1]!, path }));
  if (Array.isArray(value)) return value.flatMap((item, i) => references(item, [...path, i]));
  if (isPlainObject(value)) return Object.entries(value).flatMap(([k, v]) => references(v, [...path, k]));
  return [];
}
