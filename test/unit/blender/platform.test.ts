import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Platform, executableIn, releaseFileName, topFolderOf } from '../../../src/blender/platform.js';
import { installAdvice, missingLibraries } from '../../../src/blender/shared-libraries.js';
import { parseVersionSpec } from '../../../src/blender/spec.js';
import { dmgCommands } from '../../../src/blender/unpack.js';
import { parseVersion } from '../../../src/blender/version.js';
import { UserError } from '../../../src/errors.js';

describe('version specs', () => {
  it.each([
    ['4.2.3', { kind: 'exact', version: [4, 2, 3] }],
    ['4.2', { kind: 'series', series: '4.2' }],
    [' Latest ', { kind: 'latest' }],
    ['lts', { kind: 'lts' }],
    ['daily', { kind: 'daily', series: undefined, risk: undefined }],
    ['4.5-daily', { kind: 'daily', series: '4.5', risk: undefined }],
    ['daily:beta', { kind: 'daily', series: undefined, risk: 'beta' }],
    ['system', { kind: 'system' }],
  ])('%j', (text, spec) => {
    expect(parseVersionSpec(text)).toEqual(spec);
  });

  it.each([
    [
      '4',
      "Input 'blender-version': '4' is not a Blender version spec; use 4.2.3, 4.2, latest, lts, daily, 4.5-daily (optionally :alpha, :beta or :candidate) or system.",
    ],
    ['4.2.x', "Input 'blender-version': '4.2.x' is not a Blender version spec"],
    ['daily:rc', "Input 'blender-version': 'daily:rc' names no risk level; use :alpha, :beta, :candidate or :stable."],
  ])('%j is refused', (text, message) => {
    expect(() => parseVersionSpec(text)).toThrow(UserError);
    expect(() => parseVersionSpec(text)).toThrow(message);
  });
});

describe('release file names across eras and platforms', () => {
  const name = (version: string, platform: Platform) => {
    const named = releaseFileName(parseVersion(version)!, platform);
    return 'none' in named ? named.none : named.fileName;
  };
  it.each([
    ['2.82', 'linux', 'x64', 'blender-2.82.0-linux64.tar.xz'],
    ['2.92.0', 'linux', 'x64', 'blender-2.92.0-linux64.tar.xz'],
    ['2.93.0', 'linux', 'x64', 'blender-2.93.0-linux-x64.tar.xz'],
    ['2.92.0', 'macos', 'x64', 'blender-2.92.0-macOS.dmg'],
    ['4.5.3', 'macos', 'x64', 'blender-4.5.3-macos-x64.dmg'],
    ['5.0.0', 'macos', 'x64', 'Blender 5.0.0 has no build for macOS x64: macOS x64 builds end with 4.5.'],
    ['2.93.0', 'macos', 'arm64', 'Blender 2.93.0 has no build for macOS arm64: Apple Silicon builds start with 3.0.'],
    ['3.0.0', 'macos', 'arm64', 'blender-3.0.0-macos-arm64.dmg'],
    ['2.91.0', 'windows', 'x64', 'blender-2.91.0-windows64.zip'],
    ['4.2.3', 'windows', 'x64', 'blender-4.2.3-windows-x64.zip'],
    ['4.2.3', 'windows', 'arm64', 'Blender 4.2.3 has no build for Windows arm64: Windows arm64 builds start with 4.3.'],
    ['4.3.0', 'windows', 'arm64', 'blender-4.3.0-windows-arm64.zip'],
    ['4.2.3', 'linux', 'arm64', 'Blender 4.2.3 has no build for Linux arm64: blender.org publishes Linux builds for x64 only.'],
    ['2.79.0', 'linux', 'x64', 'Blender 2.79.0 has no build for Linux x64: releases before 2.82 are not supported.'],
  ] as const)('%s on %s %s → %s', (version, os, arch, expected) => {
    expect(name(version, { os, arch })).toBe(expected);
  });
});

describe('executables and unpacking commands', () => {
  it('finds blender, blender.exe (never the launcher) and the app bundle', () => {
    expect(executableIn('/c/4.2.3', 'blender-4.2.3-linux-x64', 'linux')).toBe(path.join('/c/4.2.3', 'blender-4.2.3-linux-x64', 'blender'));
    expect(executableIn('/c/4.2.3', 'blender-4.2.3-windows-x64', 'windows')).toBe(path.join('/c/4.2.3', 'blender-4.2.3-windows-x64', 'blender.exe'));
    expect(executableIn('/c/4.2.3', 'ignored', 'macos')).toBe(path.join('/c/4.2.3', 'Blender.app', 'Contents', 'MacOS', 'Blender'));
    expect(topFolderOf('blender-5.1.0-alpha+main.6e4e1c1c7c9b-linux.x86_64-release.tar.xz')).toBe('blender-5.1.0-alpha+main.6e4e1c1c7c9b-linux.x86_64-release');
  });

  it('mounts a dmg read-only, copies Blender.app, detaches', () => {
    expect(dmgCommands('/d/b.dmg', '/t/mnt', '/t/out')).toEqual({
      attach: ['hdiutil', 'attach', '/d/b.dmg', '-readonly', '-nobrowse', '-noautoopen', '-mountpoint', '/t/mnt'],
      copy: ['cp', '-R', path.join('/t/mnt', 'Blender.app'), '/t/out'],
      detach: ['hdiutil', 'detach', '/t/mnt', '-force'],
    });
  });
});

describe('missing shared libraries', () => {
  const ldd = `\tlinux-vdso.so.1 (0x00007ffd)\n\tlibXrender.so.1 => not found\n\tlibXi.so.6 => not found\n\tlibm.so.6 => /lib/x86_64-linux-gnu/libm.so.6\n\tlibfoo.so.2 => not found\n`;
  it('names what ldd cannot find, and the apt command for the ones it knows', () => {
    expect(missingLibraries(ldd)).toEqual(['libXrender.so.1', 'libXi.so.6', 'libfoo.so.2']);
    expect(installAdvice(['libXrender.so.1', 'libXi.so.6'])).toBe('install them with: sudo apt-get update && sudo apt-get install -y libxrender1 libxi6');
    expect(installAdvice(['libXi.so.6', 'libfoo.so.2'])).toBe(
      'install them with: sudo apt-get update && sudo apt-get install -y libxi6; and find the package for libfoo.so.2',
    );
  });
});
