import path from 'node:path';

/** update-snapshots: which approved images a run may write (as Playwright's --update-snapshots). */
export const UPDATE_SNAPSHOTS = ['none', 'missing', 'changed', 'all'] as const;
export type UpdateSnapshots = (typeof UPDATE_SNAPSHOTS)[number];

/** Locally a missing approved image is written; under CI=true it fails (a CI run must not approve its own render). */
export function defaultUpdateSnapshots(env: NodeJS.ProcessEnv): UpdateSnapshots {
  return env['CI'] === 'true' ? 'none' : 'missing';
}

/**
 * Where the approved image for this Blender may be, first wins: beside it in a folder named by
 * the Blender's series (snapshots/4.2/cube.png: renderers change between releases), then as
 * written (snapshots/cube.png). `image` is relative to the probe file's folder.
 */
export function baselineCandidates(probeFile: string, image: string, blenderVersion: string | undefined): string[] {
  const plain = path.resolve(path.dirname(probeFile), image);
  const series = blenderVersion ? /^(\d+\.\d+)/.exec(blenderVersion)?.[1] : undefined;
  return series ? [path.join(path.dirname(plain), series, path.basename(plain)), plain] : [plain];
}

export type SnapshotVerdict =
  /** the render matches the approved image */
  | 'pass'
  /** the approved image is written (or rewritten) from the render, by update-snapshots */
  | 'write'
  /** no approved image, and update-snapshots may not write it */
  | 'fail-missing'
  /** the render is not the approved image */
  | 'fail-differs';

/** What a render step comes to: whether an approved image was found, whether the render matches it, what update-snapshots allows. */
export function snapshotVerdict(found: boolean, matches: boolean, update: UpdateSnapshots): SnapshotVerdict {
  if (!found) return update === 'none' ? 'fail-missing' : 'write';
  if (update === 'all') return 'write';
  if (matches) return 'pass';
  return update === 'changed' ? 'write' : 'fail-differs';
}
