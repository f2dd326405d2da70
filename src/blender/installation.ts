/** What the provision phase hands on: a Blender that can be started. */
export interface Installation {
  /** Known after download (issue "Provision Blender"); a local Blender reports it when ready. */
  version: string | undefined;
  executable: string;
  cacheHit: boolean;
}
