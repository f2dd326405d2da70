import { preview } from './json-values.js';
import { type PathSegment, valueAt } from './json-path.js';

/** One `capture` entry of a step, parsed at load time. */
export interface Capture {
  name: string;
  path: string;
  segments: PathSegment[];
  regex: RegExp | undefined;
}

/** The captured values, or the sentence saying which capture found nothing. */
export function takeCaptures(captures: Capture[], document: unknown): { values: Record<string, unknown> } | { failure: string } {
  const values: Record<string, unknown> = {};
  for (const capture of captures) {
    const value = valueAt(document, capture.segments);
    if (value === undefined) return { failure: `capture '${capture.name}': nothing at ${capture.path}` };
    if (!capture.regex) {
      values[capture.name] = value;
      continue;
    }
    if (typeof value !== 'string') return { failure: `capture '${capture.name}': ${capture.path} is ${preview(value)}, not a string for ${capture.regex}` };
    const found = capture.regex.exec(value);
    if (!found) return { failure: `capture '${capture.name}': ${capture.regex} does not match ${preview(value)}` };
    values[capture.name] = found[1] ?? found[0];
  }
  return { values };
}
