const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** "812 bytes", "65535 bytes", "64 MiB", "4 GiB": exact below a MiB, one decimal at most above. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'more than 8 PiB';
  if (bytes < MIB) return `${bytes} bytes`;
  const [unit, size] = bytes < GIB ? ['MiB', MIB] : ['GiB', GIB];
  return `${Number((bytes / size).toFixed(1))} ${unit}`;
}
