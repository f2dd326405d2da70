import path from 'node:path';
import { type Version, compareVersions, formatVersion, parseVersion } from './version.js';

export type OS = 'linux' | 'macos' | 'windows';
type Arch = 'x64' | 'arm64';
export type ArchiveKind = 'tar.xz' | 'zip' | 'dmg';

export interface Platform {
  os: OS;
  arch: Arch;
}

export function currentPlatform(): Platform {
  const os: OS = process.platform === 'darwin' ? 'macos' : process.platform === 'win32' ? 'windows' : 'linux';
  return { os, arch: process.arch === 'arm64' ? 'arm64' : 'x64' };
}

export function describePlatform(platform: Platform): string {
  return `${{ linux: 'Linux', macos: 'macOS', windows: 'Windows' }[platform.os]} ${platform.arch}`;
}

const since = (version: Version, from: string) => compareVersions(version, parseVersion(from)!) >= 0;

/**
 * The release file name for a version and platform, following blender.org's naming eras,
 * or a sentence saying why there is none.
 */
export function releaseFileName(version: Version, platform: Platform): { fileName: string; kind: ArchiveKind } | { none: string } {
  const v = formatVersion(version);
  const none = (why: string) => ({ none: `Blender ${v} has no build for ${describePlatform(platform)}: ${why}.` });
  if (platform.os === 'linux') {
    if (platform.arch === 'arm64') return none('blender.org publishes Linux builds for x64 only');
    if (since(version, '2.93')) return { fileName: `blender-${v}-linux-x64.tar.xz`, kind: 'tar.xz' };
    if (since(version, '2.82')) return { fileName: `blender-${v}-linux64.tar.xz`, kind: 'tar.xz' };
    return none('releases before 2.82 are not supported');
  }
  if (platform.os === 'macos') {
    if (platform.arch === 'arm64') {
      return since(version, '3.0') ? { fileName: `blender-${v}-macos-arm64.dmg`, kind: 'dmg' } : none('Apple Silicon builds start with 3.0');
    }
    if (since(version, '5.0')) return none('macOS x64 builds end with 4.5');
    if (since(version, '2.93')) return { fileName: `blender-${v}-macos-x64.dmg`, kind: 'dmg' };
    if (since(version, '2.82')) return { fileName: `blender-${v}-macOS.dmg`, kind: 'dmg' };
    return none('releases before 2.82 are not supported');
  }
  if (platform.arch === 'arm64') {
    return since(version, '4.3') ? { fileName: `blender-${v}-windows-arm64.zip`, kind: 'zip' } : none('Windows arm64 builds start with 4.3');
  }
  if (since(version, '2.93')) return { fileName: `blender-${v}-windows-x64.zip`, kind: 'zip' };
  if (since(version, '2.82')) return { fileName: `blender-${v}-windows64.zip`, kind: 'zip' };
  return none('releases before 2.82 are not supported');
}

/**
 * Where Blender's executable is inside an unpacked archive (`root` holds the archive's
 * top folder, or Blender.app for a dmg). Windows: blender.exe, never blender-launcher.exe
 * (it returns at once and swallows the output).
 */
export function executableIn(root: string, topFolder: string, os: OS): string {
  if (os === 'macos') return path.join(root, 'Blender.app', 'Contents', 'MacOS', 'Blender');
  return path.join(root, topFolder, os === 'windows' ? 'blender.exe' : 'blender');
}

export function archiveKindOf(fileName: string): ArchiveKind | undefined {
  if (fileName.endsWith('.tar.xz')) return 'tar.xz';
  if (fileName.endsWith('.zip')) return 'zip';
  if (fileName.endsWith('.dmg')) return 'dmg';
  return undefined;
}

/** The archive's top folder: its name without the extension. */
export function topFolderOf(fileName: string): string {
  return fileName.replace(/\.(tar\.xz|zip|dmg)$/, '');
}

/** How the builder's JSON names a platform. */
export function builderPlatform(platform: Platform): { platform: string; architecture: string } {
  return {
    platform: { linux: 'linux', macos: 'darwin', windows: 'windows' }[platform.os],
    architecture: platform.arch === 'x64' ? 'x86_64' : 'arm64',
  };
}
