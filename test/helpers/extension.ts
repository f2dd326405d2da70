import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FIXTURES } from './fixture-run.js';

const EXTENSIONS = path.join(FIXTURES, 'extensions');
export const FIXTURE_EXTENSION_ID = 'fixture_extension';
export const FIXTURE_EXTENSION_MODULE = `bl_ext.user_default.${FIXTURE_EXTENSION_ID}`;
const WHEEL = 'fixture_wheel-1.0.0-py3-none-any.whl';

/**
 * A fresh copy of test/fixtures/extensions/fixture_extension, its wheel zipped from
 * ../fixture_wheel (a wheel is a zip with a dist-info folder), and its manifest edited by
 * `edit` when given. Returns the folder.
 */
export async function prepareFixtureExtension(edit?: (manifest: string) => string): Promise<string> {
  const folder = path.join(await mkdtemp(path.join(os.tmpdir(), 'bg-extension-')), FIXTURE_EXTENSION_ID);
  await cp(path.join(EXTENSIONS, FIXTURE_EXTENSION_ID), folder, { recursive: true });
  await mkdir(path.join(folder, 'wheels'));
  const wheelSource = path.join(EXTENSIONS, 'fixture_wheel');
  execFileSync('zip', ['-qrX', path.join(folder, 'wheels', WHEEL), ...(await readdir(wheelSource))], { cwd: wheelSource });
  if (edit) {
    const manifest = path.join(folder, 'blender_manifest.toml');
    await writeFile(manifest, edit(await readFile(manifest, 'utf8')));
  }
  return folder;
}

/** The zip Blender's own `blender --command extension build` makes of the folder. */
export function buildWithBlender(executable: string, folder: string): string {
  const output = path.join(path.dirname(folder), 'built');
  mkdirSync(output, { recursive: true }); // Blender writes into it, but does not make it
  execFileSync(executable, ['--factory-startup', '--command', 'extension', 'build', '--source-dir', folder, '--output-dir', output], { stdio: 'pipe' });
  return path.join(output, `${FIXTURE_EXTENSION_ID}-1.2.0.zip`);
}

/** The folder zipped with its contents at the top (what `extension build` makes), by `zip`. */
export function zipContents(folder: string, zipFile: string): string {
  execFileSync('zip', ['-qrX', zipFile, '.'], { cwd: folder });
  return zipFile;
}

/** Replaces the value of `key = ...` in a manifest. */
export function setManifestKey(key: string, value: string): (manifest: string) => string {
  return (manifest) => manifest.replace(new RegExp(`^${key} = .*$`, 'm'), `${key} = ${value}`);
}
