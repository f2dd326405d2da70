import { TomlDate, TomlError, parse } from 'smol-toml';
import { type SourceLocation, UserError } from '../errors.js';

export const MANIFEST_FILE = 'blender_manifest.toml';

/** A parsed blender_manifest.toml: the raw table (for the rules) and what the run needs. */
export interface ExtensionManifest {
  /** where the manifest is, as reports show it (a path, or "addon.zip › blender_manifest.toml") */
  shownAs: string;
  /** the file annotations point at (undefined inside a zip: no line of the zip to point at) */
  annotationFile: string | undefined;
  text: string;
  data: Record<string, unknown>;
}

/**
 * Parses the TOML, or throws one sentence with the line and column of the syntax error.
 * Integers stay BigInt so the rules can tell `1` (int) from `1.0` (float), as Python's tomllib does.
 */
export function parseManifest(text: string, shownAs: string, annotationFile: string | undefined): ExtensionManifest {
  try {
    const data = parse(text, { integersAsBigInt: true }) as Record<string, unknown>;
    return { shownAs, annotationFile, text, data };
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = error.message.split('\n')[0]!.replace(/\.$/, '');
    const location = annotationFile ? { file: annotationFile, line: error.line, column: error.column } : undefined;
    throw new UserError(`${shownAs}:${error.line}:${error.column} is not valid TOML: ${reason}.`, undefined, location);
  }
}

/** Python's name for a TOML value's type, as Blender's messages say it ("str", "list", ...). */
export function pythonTypeName(value: unknown): string {
  if (typeof value === 'string') return 'str';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'float';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return 'list';
  if (value instanceof TomlDate) return value.isDate() ? 'date' : value.isTime() ? 'time' : 'datetime';
  return 'dict';
}

/**
 * The line a key is written on, for annotations: `["permissions", "network"]` finds
 * `network = ...` under `[permissions]`, a dotted `permissions.network = ...`, or the line of
 * an inline table `permissions = { ... }`. Falls back to the table's line, then line 1.
 */
export function lineOfKey(text: string, keyPath: readonly string[]): number {
  const lines = text.split(/\r?\n/);
  let table: string[] = [];
  let tableLine: number | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = stripComment(lines[index]!).trim();
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      table = splitKey(header[1]!);
      if (samePath(table, keyPath.slice(0, table.length)) && table.length <= keyPath.length) tableLine = index + 1;
      continue;
    }
    const assignment = /^([^=]+?)\s*=/.exec(line);
    if (!assignment) continue;
    const full = [...table, ...splitKey(assignment[1]!)];
    // The key itself, or the inline table / array that holds it.
    if (full.length <= keyPath.length && samePath(full, keyPath.slice(0, full.length))) return index + 1;
  }
  return tableLine ?? 1;
}

export function locationOf(manifest: ExtensionManifest, keyPath: readonly string[]): SourceLocation | undefined {
  return manifest.annotationFile ? { file: manifest.annotationFile, line: lineOfKey(manifest.text, keyPath) } : undefined;
}

function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote) {
      if (char === '\\' && quote === '"') i++;
      else if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#') return line.slice(0, i);
  }
  return line;
}

function splitKey(key: string): string[] {
  return key.split('.').map((part) => part.trim().replace(/^["']|["']$/g, ''));
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}
