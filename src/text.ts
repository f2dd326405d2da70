/** Small text helpers more than one phase uses. */

/** `text` as a literal inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "reload 1/3: …" → "Reload 1/3: …": a sentence's first letter in upper case. */
export function capitalized(text: string): string {
  return text === '' ? text : `${text[0]!.toUpperCase()}${text.slice(1)}`;
}

/** `{name}` placeholders filled in from `values` ({port}, {worker}, {companion-port}); an unknown one is left as written. */
export function fillPlaceholders(text: string, values: Record<string, string | number | undefined>): string {
  return text.replace(/\{([a-z][a-z-]*)\}/g, (whole, name: string) => (name in values ? String(values[name] ?? '') : whole));
}

/** `text` cut to `limit` characters, an ellipsis the last of them when cut. */
export function truncate(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
