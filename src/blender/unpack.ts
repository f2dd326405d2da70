import { rm } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { unzip } from '../unzip.js';
import type { ArchiveKind } from './platform.js';

/**
 * The commands that copy Blender.app out of a dmg: tool-cache cannot open a dmg, so it
 * is mounted read-only, copied, and detached (forced if a Finder-like process holds it).
 */
export function dmgCommands(dmg: string, mountPoint: string, dest: string): { attach: string[]; copy: string[]; detach: string[] } {
  return {
    attach: ['hdiutil', 'attach', dmg, '-readonly', '-nobrowse', '-noautoopen', '-mountpoint', mountPoint],
    copy: ['cp', '-R', path.join(mountPoint, 'Blender.app'), dest],
    detach: ['hdiutil', 'detach', mountPoint, '-force'],
  };
}

/** Unpacks a downloaded zip or dmg into `dest` (a .tar.xz was unpacked while it downloaded). */
export async function unpackArchive(kind: ArchiveKind, archive: string, dest: string): Promise<void> {
  if (kind === 'tar.xz') return;
  if (kind === 'zip') {
    await unzip(archive, dest);
  } else {
    const mountPoint = path.join(dest, '.mount');
    const { attach, copy, detach } = dmgCommands(archive, mountPoint, dest);
    await execa(attach[0]!, attach.slice(1), { stdin: 'ignore' });
    try {
      await execa(copy[0]!, copy.slice(1), { stdin: 'ignore' });
    } finally {
      await execa(detach[0]!, detach.slice(1), { stdin: 'ignore', reject: false });
    }
  }
  await rm(archive, { force: true });
}
