const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/;

export type DurationUnit = keyof typeof UNIT_MS;

/**
 * Parses "500ms", "5s", "1.5m" or a bare number (read in `bareUnit`) into milliseconds.
 * Returns undefined for anything else so the caller can name the input that is wrong.
 */
export function parseDuration(text: string, bareUnit: DurationUnit): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? bareUnit) as DurationUnit;
  return Math.round(Number(match[1]) * UNIT_MS[unit]);
}

/** The inverse, for messages: 1500 → "1.5s", 250 → "250ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(2))}s`;
  return `${Number((ms / 60_000).toFixed(2))}m`;
}
