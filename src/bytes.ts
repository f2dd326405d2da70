const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** "812 bytes", "65535 bytes", "64 MiB", "4 GiB": exact below a MiB, one decimal at most above. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'more than 8 PiB';
  if (bytes < MIB) return `${bytes} bytes`;
  const [unit, size] = bytes < GIB ? ['MiB', MIB] : ['GiB', GIB];
  return `${Number((bytes / size).toFixed(1))} ${unit}`;
}

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1000, mb: 1000 ** 2, gb: 1000 ** 3, kib: 1024, mib: MIB, gib: GIB };

/** "64MiB", "500 KB", "1048576" (bytes): a whole number of bytes, or undefined if it is not a size. */
export function parseBytes(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = UNITS[match?.[2]?.toLowerCase() ?? 'none'];
  if (!match || unit === undefined) return undefined;
  return Math.floor(Number(match[1]) * unit);
}
