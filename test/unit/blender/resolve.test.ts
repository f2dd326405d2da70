import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Platform } from '../../../src/blender/platform.js';
import { type Sources, resolveBuild } from '../../../src/blender/resolve.js';
import { parseVersionSpec } from '../../../src/blender/spec.js';
import { resolveVersionList } from '../../../src/blender/versions-mode.js';
import { formatVersion } from '../../../src/blender/version.js';
import { type Mirror, startMirror } from '../../helpers/mirror.js';

let mirror: Mirror;
let sources: Sources;
beforeAll(async () => {
  mirror = await startMirror();
  sources = { releaseMirrors: [mirror.releaseUrl], dailyUrl: mirror.dailyUrl, versionsUrl: mirror.versionsUrl, retry: { attempts: 3, backoffMs: 5 } };
});
afterAll(() => mirror.close());

const linux: Platform = { os: 'linux', arch: 'x64' };
const resolve = (spec: string, platform: Platform = linux) => resolveBuild(parseVersionSpec(spec) as never, platform, sources);

describe('version specs against a real-format release listing', () => {
  it.each([
    ['4.2', linux, '4.2.10', 'blender-4.2.10-linux-x64.tar.xz'], // numeric: 4.2.10 > 4.2.9
    ['4.2.3', linux, '4.2.3', 'blender-4.2.3-linux-x64.tar.xz'],
    ['3.3', linux, '3.3.16', 'blender-3.3.16-linux-x64.tar.xz'],
    ['latest', linux, '5.0.1', 'blender-5.0.1-linux-x64.tar.xz'],
    ['lts', linux, '4.5.3', 'blender-4.5.3-linux-x64.tar.xz'],
    ['2.83', linux, '2.83.20', 'blender-2.83.20-linux64.tar.xz'], // the older naming era
    ['2.83.0', { os: 'macos', arch: 'x64' }, '2.83.0', 'blender-2.83.0-macOS.dmg'],
    ['2.83', { os: 'windows', arch: 'x64' }, '2.83.20', 'blender-2.83.20-windows64.zip'],
    ['4.5', { os: 'macos', arch: 'x64' }, '4.5.3', 'blender-4.5.3-macos-x64.dmg'],
    ['latest', { os: 'macos', arch: 'arm64' }, '5.0.1', 'blender-5.0.1-macos-arm64.dmg'],
    ['4.5', { os: 'windows', arch: 'arm64' }, '4.5.3', 'blender-4.5.3-windows-arm64.zip'],
  ] as const)('%s on %o → %s', async (spec, platform, version, fileName) => {
    const build = await resolve(spec, platform);
    expect([formatVersion(build.version), build.fileName, build.cacheVersion]).toEqual([version, fileName, version]);
    expect(build.downloads[0]!.url).toBe(`${mirror.releaseUrl}/Blender${version.split('.').slice(0, 2).join('.')}/${fileName}`);
    expect(build.downloads[0]!.checksumUrl).toBe(`${mirror.releaseUrl}/Blender${version.split('.').slice(0, 2).join('.')}/blender-${version}.sha256`);
  });

  it.each([
    ['latest', { os: 'macos', arch: 'x64' }, "Input 'blender-version': Blender 5.0.1 has no build for macOS x64: macOS x64 builds end with 4.5."],
    [
      '4.2',
      { os: 'linux', arch: 'arm64' },
      "Input 'blender-version': Blender 4.2.10 has no build for Linux arm64: blender.org publishes Linux builds for x64 only.",
    ],
    ['4.2.3', { os: 'windows', arch: 'arm64' }, "Input 'blender-version': Blender 4.2.3 has no build for Windows arm64: Windows arm64 builds start with 4.3."],
    ['4.2.99', linux, "Input 'blender-version': Blender 4.2.99 is not released; the nearest are 4.2.10, 4.2.9, 4.2.3."],
    ['9.9', linux, "Input 'blender-version': there is no Blender 9.9 release; the nearest series are 5.0, 4.5, 4.4."],
    ['3.1-daily', linux, "Input 'blender-version': no daily build of the 3.1 branch exists for Linux x64; branches with builds for it: main, v45."],
  ] as const)('%s on %o fails in one sentence', async (spec, platform, sentence) => {
    await expect(resolve(spec, platform)).rejects.toThrow(sentence);
  });

  it('refuses a platform with no build before touching the network', async () => {
    const before = mirror.requests.length;
    await expect(resolve('4.2.3', { os: 'linux', arch: 'arm64' })).rejects.toThrow('has no build for Linux arm64');
    expect(mirror.requests.length).toBe(before);
  });

  it('daily builds: newest of main, of a branch, of a risk; the hash is part of the cache version', async () => {
    expect(await resolve('daily')).toMatchObject({ cacheVersion: '5.1.0-daily.6e4e1c1c7c9b', daily: { branch: 'main', risk: 'alpha', hash: '6e4e1c1c7c9b' } });
    expect(await resolve('4.5-daily')).toMatchObject({ cacheVersion: '4.5.4-daily.a1b2c3d4e5f6', daily: { branch: 'v45', risk: 'candidate' } });
    expect(await resolve('4.5-daily:candidate')).toMatchObject({ fileName: 'blender-4.5.4-candidate+v45.a1b2c3d4e5f6-linux.x86_64-release.tar.xz' });
    await expect(resolve('daily:beta')).rejects.toThrow('no daily build of main at risk beta exists for Linux x64');
    expect((await resolve('daily', { os: 'macos', arch: 'arm64' })).kind).toBe('dmg');
  });

  it('mode: versions turns a list into exact versions for a matrix, newest first', async () => {
    expect(await resolveVersionList('>=3.6 lts, latest, daily', sources)).toEqual(['5.0.1', '4.5.3', '4.2.10', '3.6.23', 'daily']);
    expect(await resolveVersionList('4.2\n4.2.3, >=4.4', sources)).toEqual(['5.0.1', '4.5.3', '4.4.3', '4.2.10', '4.2.3']);
    await expect(resolveVersionList('4.2, soon', sources)).rejects.toThrow("Input 'versions': 'soon' is not a Blender version spec");
  });
});
