import { pythonTypeName } from './manifest.js';

/**
 * Blender's own manifest rules (bl_pkg's blender_ext.py in 4.2–5.2), written again so a
 * manifest Blender would refuse fails before any download, and on Blenders whose `--command
 * extension` does not run. Blender has two sets: its installer (`install-file`, and the
 * extensions it loads) is lenient; `validate` and `build` are strict (the extensions
 * platform's upload rules: a tag-line's length, three-part versions, permission names...).
 * A run fails only on what the installer refuses; the strict rest is a warning.
 * Problems are worded as Blender words them (5.2), so a user can search for either.
 * Tags are left to Blender: the valid list is Blender's data and changes between versions.
 * test/integration/extensions.test.ts holds these rules against real Blenders' verdicts.
 */
export interface ManifestProblem {
  /** the key the problem is about, for the annotation's line */
  keyPath: string[];
  message: string;
}

/** strict: validate's and build's rules; lenient: what the installer applies */
type Check = (value: unknown, strict: boolean) => string | undefined;

/** Tag-lines and permission reasons: one short line in Blender's UI. */
const TERSE_TEXT_MAX = 64;
const PERMISSIONS = ['files', 'network', 'clipboard', 'camera', 'microphone'] as const;
const TYPES = ['add-on', 'theme'] as const;
const WHEEL_NAME = '{distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl';

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
// eslint-disable-next-line no-control-regex -- Blender refuses control characters; finding them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const PYTHON_IDENTIFIER = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u;

/** Python's repr() of a string: single quotes unless the text holds one and no double quote. */
function repr(text: string): string {
  if (text.includes("'") && !text.includes('"')) return `"${text.replace(/\\/g, '\\\\')}"`;
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Python's str(type(x)): "<class 'int'>". */
function pythonClass(value: unknown): string {
  return `<class '${pythonTypeName(value)}'>`;
}

function codePoints(text: string): number {
  return [...text].length;
}

function cleanText(text: string): string | undefined {
  const stripped = text.trim();
  if (stripped === '') return 'a non-empty string expected';
  if (text !== stripped) return 'text without leading/trailing white space expected';
  if (CONTROL.test(text)) return 'text without any control characters expected';
  return undefined;
}

const nonEmptyStrippedText: Check = (value) => cleanText(value as string);

/** A tag-line or a permission's reason: short, clean, not ending in punctuation. */
function terseText(text: string): string | undefined {
  const length = codePoints(text);
  if (length > TERSE_TEXT_MAX) return `a value no longer than ${TERSE_TEXT_MAX} characters expected, found ${length}`;
  const unclean = cleanText(text);
  if (unclean) return unclean;
  const last = [...text].at(-1)!;
  if (!/[\p{L}\p{N}]/u.test(last) && !')]}'.includes(last)) return 'alphanumeric suffix expected, the string must not end with punctuation';
  return undefined;
}

const identifier: Check = (value) => {
  const id = value as string;
  if (!PYTHON_IDENTIFIER.test(id)) return 'Not a valid Python identifier';
  if (id.includes('__')) return 'Only single separators are supported';
  if (id.startsWith('_')) return 'Names must not start with a "_"';
  if (id.endsWith('_')) return 'Names must not end with a "_"';
  return undefined;
};

const semanticVersion: Check = (value) => (SEMVER.test(value as string) ? undefined : `to be a semantic-version, found ${repr(value as string)}`);

const blenderVersion: Check = (value, strict) => {
  const text = value as string;
  if (!text.split('.').every((part) => /^\d+$/.test(part))) return `must be numbers separated by single "." characters, found "${text}"`;
  if (strict && text.split('.').length !== 3) return `expected 3 numbers separated by ".", found "${text}"`;
  return undefined;
};

const tagline: Check = (value, strict) => {
  if (strict) return terseText(value as string);
  return (value as string).trim() === '' ? 'A non-empty string expected' : undefined;
};

const listOfNonEmptyStrings = (list: unknown[]): string | undefined => {
  for (const [index, item] of list.entries()) {
    if (typeof item !== 'string') return `at index ${index} must be a string not a ${pythonClass(item)}`;
    if (item.trim() === '') return `at index ${index} must be a non-empty string`;
  }
  return undefined;
};

const nonEmptyListOfNonEmptyStrings: Check = (value) =>
  (value as unknown[]).length === 0 ? 'list may not be empty' : listOfNonEmptyStrings(value as unknown[]);

const copyright: Check = (value, strict) => {
  if (!strict) return listOfNonEmptyStrings(value as unknown[]);
  for (const [index, item] of (value as unknown[]).entries()) {
    if (typeof item !== 'string') return `at index ${index} must be a string not a ${pythonClass(item)}`;
    const space = item.indexOf(' ');
    const [year, name] = space < 0 ? [item, ''] : [item.slice(0, space), item.slice(space + 1)];
    if (!/^(\d+|\d+-\d+)$/.test(year)) return `at index ${index} must be a number or two numbers separated by "-"`;
    if (name.trim() === '') return `at index ${index} copyright name must be non-empty`;
  }
  return undefined;
};

const permissions: Check = (value, strict) => {
  if (!strict) {
    // The installer takes the historic list form too, and any permission name.
    if (Array.isArray(value)) {
      const index = value.findIndex((item) => typeof item !== 'string');
      return index < 0 ? undefined : `Expected item at index ${index} to be a string not a ${pythonClass(value[index])}`;
    }
    const wrong = Object.entries(value as Record<string, unknown>).find(([, reason]) => typeof reason !== 'string');
    return wrong ? `value of "${wrong[0]}" must be a string not a ${pythonClass(wrong[1])}` : undefined;
  }
  if (Array.isArray(value)) return `permissions must be a table of strings, not a ${pythonClass(value)}`;
  for (const [key, reason] of Object.entries(value as Record<string, unknown>)) {
    if (!(PERMISSIONS as readonly string[]).includes(key)) return `key "${key}" must be one of (${PERMISSIONS.map((p) => `'${p}'`).join(', ')})`;
    if (typeof reason !== 'string') return `value of "${key}" must be a string not a ${pythonClass(reason)}`;
    const problem = terseText(reason);
    if (problem) return `value of "${key}": ${problem}`;
  }
  return undefined;
};

const wheels: Check = (value) => {
  const listProblem = listOfNonEmptyStrings(value as unknown[]);
  if (listProblem) return listProblem;
  for (const wheel of value as string[]) {
    if (wheel.includes('"')) return `wheel paths must not contain quotes, found ${repr(wheel)}`;
    if (wheel.includes('\\')) return `wheel paths must use forward slashes, found ${repr(wheel)}`;
    const unclean = cleanText(wheel);
    if (unclean) return `wheel path error: ${unclean}, found ${repr(wheel)}`;
    const fileName = wheel.slice(wheel.lastIndexOf('/') + 1);
    if (!fileName.toLowerCase().endsWith('.whl')) return `wheel paths must end with ".whl", found ${repr(wheel)}`;
    const parts = fileName.split('-').length;
    if (parts < 5 || parts > 6) return `wheel filename must follow the spec "${WHEEL_NAME}", found ${repr(fileName)}`;
  }
  return undefined;
};

interface Field {
  key: string;
  /** Python type names the value may have */
  types: readonly string[];
  required: boolean;
  check: Check;
  /** the check applies only to a non-empty value (blender_version_max = "" means none) */
  skipEmpty?: boolean;
}

/** In Blender's order: with several problems, the first one named is the one Blender names. */
const FIELDS: readonly Field[] = [
  { key: 'id', types: ['str'], required: true, check: identifier },
  { key: 'schema_version', types: ['str'], required: true, check: semanticVersion },
  { key: 'name', types: ['str'], required: true, check: nonEmptyStrippedText },
  { key: 'tagline', types: ['str'], required: true, check: tagline },
  { key: 'version', types: ['str'], required: true, check: semanticVersion },
  {
    key: 'type',
    types: ['str'],
    required: true,
    check: (value) =>
      (TYPES as readonly string[]).includes(value as string) ? undefined : `Expected to be one of [${TYPES.join(', ')}], found ${repr(value as string)}`,
  },
  { key: 'maintainer', types: ['str'], required: true, check: nonEmptyStrippedText },
  { key: 'license', types: ['list'], required: true, check: nonEmptyListOfNonEmptyStrings },
  { key: 'blender_version_min', types: ['str'], required: true, check: blenderVersion },
  { key: 'blender_version_max', types: ['str'], required: false, check: blenderVersion, skipEmpty: true },
  { key: 'website', types: ['str'], required: false, check: nonEmptyStrippedText },
  { key: 'copyright', types: ['list'], required: false, check: copyright },
  { key: 'permissions', types: ['dict', 'list'], required: false, check: permissions },
  { key: 'tags', types: ['list'], required: false, check: nonEmptyListOfNonEmptyStrings },
  { key: 'platforms', types: ['list'], required: false, check: nonEmptyListOfNonEmptyStrings },
  { key: 'wheels', types: ['list'], required: false, check: wheels },
];

/**
 * Every problem Blender would report for this manifest table: `strict` as `validate` and
 * `build` do (the extensions platform's rules), else as its installer does.
 */
export function manifestProblems(data: Record<string, unknown>, strict = true): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  for (const field of FIELDS) {
    const value = data[field.key];
    if (value === undefined) {
      if (field.required) problems.push({ keyPath: [field.key], message: `missing "${field.key}"` });
      continue;
    }
    const type = pythonTypeName(value);
    if (!field.types.includes(type)) {
      const expected = field.types.length > 1 ? `[${field.types.join(', ')}]` : field.types[0];
      problems.push({ keyPath: [field.key], message: `"${field.key}" must be a ${expected}, not a ${type}` });
      continue;
    }
    if (field.skipEmpty && value === '') continue;
    const problem = field.check(value, strict);
    if (problem) {
      const message = `key "${field.key}" invalid: ${problem}`;
      problems.push({ keyPath: keyPathOfProblem(message) ?? [field.key], message });
    }
  }
  return problems;
}

/**
 * The key a problem (ours, or a line Blender printed) is about, for the annotation's line.
 * A permission's problem points at that permission: ["permissions", "network"].
 */
export function keyPathOfProblem(message: string): string[] | undefined {
  const key = /^(?:key "([^"]+)" invalid|missing "([^"]+)"|"([^"]+)" must be|loading (\w+):)/.exec(message);
  const name = key?.[1] ?? key?.[2] ?? key?.[3] ?? key?.[4];
  if (name === undefined) return undefined;
  const permission = name === 'permissions' ? /invalid: (?:value of|key) "([^"]+)"/.exec(message)?.[1] : undefined;
  return permission ? [name, permission] : [name];
}
