import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectAddon } from '../../../src/addon/inspect.js';
import { UserError } from '../../../src/errors.js';

async function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'bg-inspect-'));
}

async function packageAddon(parent: string, name: string): Promise<string> {
  const dir = path.join(parent, name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, '__init__.py'), 'bl_info = {"name": "x"}\n');
  return dir;
}

const MANIFEST = `schema_version = "1.0.0"
id = "my_tool"
version = "1.0.0"
name = "My Tool"
tagline = "Does one thing well"
maintainer = "Someone <someone@example.com>"
type = "add-on"
blender_version_min = "4.2.0"
blender_version_max = "5.1.0"
license = ["SPDX:GPL-3.0-or-later"]

[permissions]
files = "Reads the scenes it is asked to open"
`;

async function extensionFolder(parent: string, manifest = MANIFEST, name = 'src'): Promise<string> {
  const dir = path.join(parent, name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'blender_manifest.toml'), manifest);
  await writeFile(path.join(dir, '__init__.py'), 'def register(): pass\ndef unregister(): pass\n');
  return dir;
}

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe("inspectAddon: what the 'addon' input is, before any download", () => {
  it('legacy add-ons: a package folder, a .py file, a zipped package; the module is named after them', async () => {
    const dir = await tempDir();
    const folder = await packageAddon(dir, 'my_addon');
    await writeFile(path.join(dir, 'one_file.py'), 'bl_info = {}\n');
    execFileSync('zip', ['-qr', 'addon.zip', 'my_addon'], { cwd: dir });

    expect(await inspectAddon(folder, undefined, path.join(dir, 'u1'))).toMatchObject({ kind: 'package', module: 'my_addon', root: folder });
    expect(await inspectAddon(path.join(dir, 'one_file.py'), undefined, path.join(dir, 'u2'))).toMatchObject({ kind: 'file', module: 'one_file' });
    expect(await inspectAddon(path.join(dir, 'addon.zip'), 'override', path.join(dir, 'u3'))).toMatchObject({
      kind: 'zip',
      module: 'override',
      root: path.join(dir, 'u3', 'my_addon'),
    });
  });

  it('refuses a zip of a legacy add-on’s contents, a folder that is neither, and other files', async () => {
    const dir = await tempDir();
    const source = await packageAddon(dir, 'flat');
    execFileSync('zip', ['-qr', path.join(dir, 'flat.zip'), '.'], { cwd: source });
    await mkdir(path.join(dir, 'not_a_package'));
    await writeFile(path.join(dir, 'addon.txt'), '');

    expect((await failure(inspectAddon(path.join(dir, 'flat.zip'), undefined, path.join(dir, 'u')))).message).toContain(
      "has __init__.py at its top but no blender_manifest.toml; zip the add-on's folder",
    );
    expect((await failure(inspectAddon(path.join(dir, 'not_a_package'), undefined, dir))).message).toContain(
      'is a folder without __init__.py or blender_manifest.toml',
    );
    expect((await failure(inspectAddon(path.join(dir, 'addon.txt'), undefined, dir))).message).toContain('is not a folder, a .py file or a .zip.');
    expect((await failure(inspectAddon(path.join(dir, 'missing'), undefined, dir))).message).toBe(
      `Input 'addon': ${path.join(dir, 'missing')} does not exist.`,
    );
  });

  it('an extension folder: module bl_ext.user_default.<id>, its range and permissions from the manifest', async () => {
    const dir = await tempDir();
    const folder = await extensionFolder(dir);
    const addon = await inspectAddon(folder, undefined, path.join(dir, 'u'), dir);
    expect(addon).toMatchObject({
      kind: 'extension',
      module: 'bl_ext.user_default.my_tool',
      id: 'my_tool',
      root: folder,
      archive: undefined,
      blenderVersionMin: [4, 2, 0],
      blenderVersionMax: [5, 1, 0],
      declaresNetwork: false,
    });
    expect(addon.kind === 'extension' && addon.manifest.annotationFile).toBe(path.join('src', 'blender_manifest.toml'));
  });

  it('an extension zip: contents at the top (as `extension build` makes it) or in one folder', async () => {
    const dir = await tempDir();
    const folder = await extensionFolder(dir, MANIFEST.replace('files = ', 'network = "Fetches the assets it is asked for"\nfiles = '));
    execFileSync('zip', ['-qr', path.join(dir, 'top.zip'), '.'], { cwd: folder });
    execFileSync('zip', ['-qr', 'nested.zip', 'src'], { cwd: dir });

    const top = await inspectAddon(path.join(dir, 'top.zip'), undefined, path.join(dir, 'u1'));
    expect(top).toMatchObject({ kind: 'extension', archive: path.join(dir, 'top.zip'), root: path.join(dir, 'u1'), declaresNetwork: true });
    expect(top.kind === 'extension' && top.manifest.shownAs).toBe(`${path.join(dir, 'top.zip')} › blender_manifest.toml`);
    const nested = await inspectAddon(path.join(dir, 'nested.zip'), undefined, path.join(dir, 'u2'));
    expect(nested).toMatchObject({ kind: 'extension', root: path.join(dir, 'u2', 'src') });
  });

  it("a manifest Blender's installer would refuse: every problem, the first with its file:line as the sentence", async () => {
    const dir = await tempDir();
    await extensionFolder(dir, MANIFEST.replace('name = "My Tool"', 'name = " My Tool"').replace(/^version = "1.0.0"$/m, 'version = "1"'));
    const error = await failure(inspectAddon('src', undefined, path.join(dir, 'u'), dir));
    // In Blender's order: name before version.
    expect(error.message).toBe(
      `src/blender_manifest.toml:4: Blender would refuse this extension manifest: key "name" invalid: text without leading/trailing white space expected (and 1 more, listed below).`,
    );
    expect(error.details).toBe(
      [
        `src/blender_manifest.toml:4: key "name" invalid: text without leading/trailing white space expected`,
        `src/blender_manifest.toml:3: key "version" invalid: to be a semantic-version, found '1'`,
      ].join('\n'),
    );
    expect(error.location).toEqual({ file: 'src/blender_manifest.toml', line: 4 });
  });

  it('what only the extensions platform refuses (a long permission reason, a two-part version) is kept for warnings, not refused', async () => {
    const dir = await tempDir();
    const long = 'Reads the scenes it is asked to open, and a great many other files too';
    await extensionFolder(
      dir,
      MANIFEST.replace('Reads the scenes it is asked to open', long).replace('blender_version_max = "5.1.0"', 'blender_version_max = "5.1"'),
    );
    const addon = await inspectAddon('src', undefined, path.join(dir, 'u'), dir);
    expect(addon.kind === 'extension' && addon.platformProblems).toEqual([
      {
        at: 'src/blender_manifest.toml:9',
        location: { file: 'src/blender_manifest.toml', line: 9 },
        message: 'key "blender_version_max" invalid: expected 3 numbers separated by ".", found "5.1"',
      },
      {
        at: 'src/blender_manifest.toml:13',
        location: { file: 'src/blender_manifest.toml', line: 13 },
        message: `key "permissions" invalid: value of "files": a value no longer than 64 characters expected, found ${long.length}`,
      },
    ]);
  });

  it('an extension with bl_info is also a legacy add-on (what Blender before 4.2 loads), named by its folder; extension-repository names its module', async () => {
    const dir = await tempDir();
    const folder = await extensionFolder(dir, MANIFEST, 'my_tool_src');
    await writeFile(path.join(folder, '__init__.py'), 'bl_info = {"name": "My Tool", "blender": (3, 0, 0)}\ndef register(): pass\n');
    const addon = await inspectAddon('my_tool_src', undefined, path.join(dir, 'u'), dir, 'blender_org');
    expect(addon).toMatchObject({
      kind: 'extension',
      module: 'bl_ext.blender_org.my_tool',
      repository: 'blender_org',
      legacy: { kind: 'package', module: 'my_tool_src', root: folder },
    });
    // addon-module names the legacy add-on; the extension's name stays Blender's.
    const named = await inspectAddon('my_tool_src', 'my_tool', path.join(dir, 'u'), dir);
    expect(named).toMatchObject({ module: 'bl_ext.user_default.my_tool', legacy: { module: 'my_tool' } });
  });

  it('TOML that does not parse: line and column', async () => {
    const dir = await tempDir();
    await extensionFolder(dir, MANIFEST.replace('name = "My Tool"', 'name = "My Tool'));
    const error = await failure(inspectAddon('src', undefined, path.join(dir, 'u'), dir));
    expect(error.message).toMatch(/^src\/blender_manifest\.toml:4:\d+ is not valid TOML: .+\.$/);
    expect(error.location).toMatchObject({ file: 'src/blender_manifest.toml', line: 4 });
  });

  it('refuses a theme, an add-on without __init__.py, and an add-on-module that is not the extension’s', async () => {
    const dir = await tempDir();
    await extensionFolder(dir, MANIFEST.replace('type = "add-on"', 'type = "theme"'), 'theme');
    const noInit = await extensionFolder(dir, MANIFEST, 'no_init');
    await rm(path.join(noInit, '__init__.py'));
    await extensionFolder(dir, MANIFEST, 'ok');

    expect((await failure(inspectAddon('theme', undefined, path.join(dir, 'u'), dir))).message).toBe(
      "theme/blender_manifest.toml: the extension 'my_tool' is a theme, not an add-on; blender-bg-action tests add-ons.",
    );
    expect((await failure(inspectAddon('no_init', undefined, path.join(dir, 'u'), dir))).message).toContain(
      "the extension 'my_tool' (no_init) has no __init__.py beside blender_manifest.toml",
    );
    expect((await failure(inspectAddon('ok', 'my_tool', path.join(dir, 'u'), dir))).message).toBe(
      "Input 'addon-module' does not apply to an extension: Blender imports 'my_tool' as bl_ext.user_default.my_tool, from the id in blender_manifest.toml; leave 'addon-module' out.",
    );
    expect(await inspectAddon('ok', 'bl_ext.user_default.my_tool', path.join(dir, 'u'), dir)).toMatchObject({ kind: 'extension' });
  });
});

describe('inspectAddon with addon-kind', () => {
  it('legacy: a folder with bl_info and a manifest is a legacy package named by its folder (or addon-module); the manifest is not read', async () => {
    const dir = await tempDir();
    const folder = await extensionFolder(dir, 'version = "2.9.0-dev+$Format:%h$"\nnot even = [valid toml', 'dual');
    await writeFile(path.join(folder, '__init__.py'), 'bl_info = {"name": "x", "blender": (2, 93, 0)}\n');
    expect(await inspectAddon(folder, undefined, path.join(dir, 'u'), dir, 'user_default', 'legacy')).toEqual({
      kind: 'package',
      shownAs: folder,
      root: folder,
      module: 'dual',
    });
    expect(await inspectAddon(folder, 'other_name', path.join(dir, 'u'), dir, 'user_default', 'legacy')).toMatchObject({ module: 'other_name' });
  });

  it('legacy without bl_info, a zip with its files at the top and no add-on-module, extension without a manifest: one sentence each', async () => {
    const dir = await tempDir();
    const extensionOnly = await extensionFolder(dir);
    expect((await failure(inspectAddon(extensionOnly, undefined, path.join(dir, 'u1'), dir, 'user_default', 'legacy'))).message).toBe(
      `Input 'addon-kind' is legacy, but ${extensionOnly} has no bl_info in its __init__.py: Blender loads an add-on without bl_info only as an extension.`,
    );
    await writeFile(path.join(extensionOnly, '__init__.py'), 'bl_info = {"name": "x"}\n');
    execFileSync('zip', ['-qr', path.join(dir, 'flat.zip'), '.'], { cwd: extensionOnly });
    expect((await failure(inspectAddon(path.join(dir, 'flat.zip'), undefined, path.join(dir, 'u2'), dir, 'user_default', 'legacy'))).message).toContain(
      "holds its files at the zip's top, so it has no folder name to be imported by: give addon-module.",
    );
    const legacy = await packageAddon(dir, 'plain');
    expect((await failure(inspectAddon(legacy, undefined, path.join(dir, 'u3'), dir, 'user_default', 'extension'))).message).toBe(
      `Input 'addon-kind' is extension, but ${legacy} has no blender_manifest.toml: it is a legacy add-on (bl_info).`,
    );
  });

  it('extension: a dual add-on is an extension only (no legacy form for Blender before 4.2)', async () => {
    const dir = await tempDir();
    const folder = await extensionFolder(dir);
    await writeFile(path.join(folder, '__init__.py'), 'bl_info = {"name": "x"}\n');
    expect(await inspectAddon(folder, undefined, path.join(dir, 'u'), dir)).toMatchObject({ kind: 'extension', legacy: { module: 'src' } });
    expect(await inspectAddon(folder, undefined, path.join(dir, 'u'), dir, 'user_default', 'extension')).toMatchObject({
      kind: 'extension',
      legacy: undefined,
    });
  });
});
