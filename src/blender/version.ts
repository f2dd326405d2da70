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

/** "4.2" for 4.2.3: the folder name's number (Blender4.2/) and the LTS label's. */
export function seriesOf(version: Version): string {
  return `${version[0]}.${version[1]}`;
}

/** Version texts ("4.2", "4.2.10"), newest first; the texts must parse. */
export function newestFirst(texts: string[]): string[] {
  return [...texts].sort((a, b) => compareVersions(parseVersion(b)!, parseVersion(a)!));
}
