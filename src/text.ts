/** Small text helpers more than one phase uses. */

/** `text` as a literal inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** "reload 1/3: …" → "Reload 1/3: …": a sentence's first letter in upper case. */
export function capitalized(text: string): string {
  return text === '' ? text : `${text[0]!.toUpperCase()}${text.slice(1)}`;
}
