/** A Blender release version, compared numerically (3.3.16 > 3.3.9). */
export type Version = readonly [major: number, minor: number, patch: number];

export function parseVersion(text: string): Version | undefined {
  const match = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

export function compareVersions(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

export function formatVersion(version: Version): string {
  return version.join('.');
}

/** Version texts ("4.2", "4.2.10"), newest first; the texts must parse. */
export function newestFirst(texts: string[]): string[] {
  return [...texts].sort((a, b) => compareVersions(parseVersion(b)!, parseVersion(a)!));
}
