import { readFile } from 'node:fs/promises';

/**
 * A JSON-lines file of the driver's counted records (python/blender_bg/records.py): each distinct
 * record when first seen, and all of them again with their final counts when the session ends;
 * the last line of a key wins. Missing or torn (a crash mid-write): what could be read.
 * `parse` turns one object into a record, or undefined for a line that is not one.
 */
export async function readCountedRecords<T>(file: string, parse: (entry: Record<string, unknown>) => T | undefined, key: (record: T) => string): Promise<T[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const byKey = new Map<string, T>();
  for (const line of text.split('\n')) {
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) continue;
    const record = parse(entry as Record<string, unknown>);
    if (record !== undefined) byKey.set(key(record), record);
  }
  return [...byKey.values()];
}

/** A field as a string, or undefined (the driver writes null for what it does not know). */
export function stringField(entry: Record<string, unknown>, name: string): string | undefined {
  const value = entry[name];
  return typeof value === 'string' ? value : undefined;
}

export function numberField(entry: Record<string, unknown>, name: string): number | undefined {
  const value = entry[name];
  return typeof value === 'number' ? value : undefined;
}
