import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_EXTENSION_REPOSITORY } from '../blender/invocation.js';
import { parseVersion } from '../blender/version.js';
import { displayPath } from '../display-path.js';
import { UserError } from '../errors.js';
import { MANIFEST_FILE, type ExtensionManifest, locationOf, parseManifest } from './manifest.js';
import { SKIPPED } from './files.js';
import { type ManifestProblem, manifestProblems } from './manifest-rules.js';
import type { AddonSource, ExtensionSource, LegacyAddonSource, PlacedProblem } from './staged-addon.js';
import { extractZip } from './zip.js';

/** The add-on-kind input: how an add-on with a manifest is taken (auto: as Blender takes it). */
export type AddonKindSetting = 'auto' | 'extension' | 'legacy';

/**
 * What the `addon` input is, found before any download so a mistake costs nothing: a .py
 * file, a package folder, a zip of either, or a 4.2+ extension (blender_manifest.toml at the
 * top of a folder or a zip, as `blender --command extension build` makes it). An extension's
 * manifest must pass Blender's own rules. A zip is unpacked into `unzipDir`. `kind` (addon-kind)
 * can take an add-on with both bl_info and a manifest as legacy on every Blender (its manifest
 * then unchecked, as its own CI symlinks it into scripts/addons), or as an extension only.
 */
export async function inspectAddon(
  addonPath: string,
  moduleOverride: string | undefined,
  unzipDir: string,
  cwd = process.cwd(),
  repository = DEFAULT_EXTENSION_REPOSITORY,
  kind: AddonKindSetting = 'auto',
): Promise<AddonSource> {
  const found = await inspectAddonAsFound(addonPath, moduleOverride, unzipDir, cwd, repository, kind);
  if (kind === 'extension' && found.kind !== 'extension') {
    throw new UserError(`Input 'addon-kind' is extension, but ${addonPath} has no ${MANIFEST_FILE}: it is a legacy add-on (bl_info).`);
  }
  if (kind === 'extension' && found.kind === 'extension') return { ...found, legacy: undefined };
  return found;
}

async function inspectAddonAsFound(
  addonPath: string,
  moduleOverride: string | undefined,
  unzipDir: string,
  cwd: string,
  repository: string,
  kind: AddonKindSetting,
): Promise<AddonSource> {
  const source = path.resolve(cwd, addonPath);
  const info = await stat(source).catch(() => undefined);
  if (!info) throw new UserError(`Input 'addon': ${addonPath} does not exist.`);

  if (info.isDirectory()) {
    const entries = await readdir(source);
    if (entries.includes(MANIFEST_FILE) && kind === 'legacy') return legacyDespiteManifest(source, path.basename(source), 'package', addonPath, moduleOverride);
    if (entries.includes(MANIFEST_FILE)) {
      return inspectExtension({ root: source, folderName: path.basename(source), archive: undefined, shownAs: addonPath, moduleOverride, cwd, repository });
    }
    if (!entries.includes('__init__.py')) {
      throw new UserError(
        `Input 'addon': ${addonPath} is a folder without __init__.py or ${MANIFEST_FILE}, so it is neither an add-on package nor an extension.`,
      );
    }
    return { kind: 'package', shownAs: addonPath, root: source, module: moduleOverride ?? path.basename(source) };
  }
  if (source.endsWith('.py')) return { kind: 'file', shownAs: addonPath, root: source, module: moduleOverride ?? path.basename(source, '.py') };
  if (source.endsWith('.zip')) {
    const unzipped = await extractZip(source, unzipDir);
    const extensionRoot = await extensionRootInZip(unzipped);
    if (extensionRoot && kind === 'legacy') {
      return legacyDespiteManifest(extensionRoot, extensionRoot === unzipped ? undefined : path.basename(extensionRoot), 'zip', addonPath, moduleOverride);
    }
    if (extensionRoot) {
      const folderName = extensionRoot === unzipped ? undefined : path.basename(extensionRoot);
      return inspectExtension({ root: extensionRoot, folderName, archive: source, shownAs: addonPath, moduleOverride, cwd, repository });
    }
    const root = await legacyAddonInZip(unzipped, addonPath);
    return { kind: 'zip', shownAs: addonPath, root, module: moduleOverride ?? path.basename(root, '.py') };
  }
  throw new UserError(`Input 'addon': ${addonPath} is not a folder, a .py file or a .zip.`);
}

/**
 * addon-kind: legacy for a folder with a manifest: the package as a legacy add-on, named by its
 * folder (or addon-module), the manifest not read (only the extension installer reads it).
 */
async function legacyDespiteManifest(
  root: string,
  folderName: string | undefined,
  kind: 'package' | 'zip',
  shownAs: string,
  moduleOverride: string | undefined,
): Promise<LegacyAddonSource> {
  const init = await readFile(path.join(root, '__init__.py'), 'utf8').catch(() => '');
  if (!hasBlInfo(init)) {
    throw new UserError(
      `Input 'addon-kind' is legacy, but ${shownAs} has no bl_info in its __init__.py: Blender loads an add-on without bl_info only as an extension.`,
    );
  }
  const module = moduleOverride ?? folderName;
  if (module === undefined) {
    throw new UserError(
      `Input 'addon-kind' is legacy, but ${shownAs} holds its files at the zip's top, so it has no folder name to be imported by: give addon-module.`,
    );
  }
  return { kind, shownAs, root, module };
}

/** The manifest at the zip's top, or in its one top folder (Blender accepts both). */
async function extensionRootInZip(unzipped: string): Promise<string | undefined> {
  const entries = (await readdir(unzipped, { withFileTypes: true })).filter((e) => !e.name.startsWith('.') && e.name !== '__MACOSX');
  if (entries.some((e) => e.name === MANIFEST_FILE)) return unzipped;
  const folders = entries.filter((e) => e.isDirectory());
  if (folders.length !== 1 || entries.length !== 1) return undefined;
  const only = path.join(unzipped, folders[0]!.name);
  return (await readdir(only)).includes(MANIFEST_FILE) ? only : undefined;
}

/** A zipped legacy add-on holds one package folder or one .py file at its top (GitHub's "Download ZIP" shape). */
async function legacyAddonInZip(unzipped: string, shownAs: string): Promise<string> {
  const entries = (await readdir(unzipped, { withFileTypes: true })).filter((e) => !SKIPPED.has(e.name) && e.name !== '__MACOSX');
  if (entries.some((e) => e.name === '__init__.py')) {
    throw new UserError(
      `Input 'addon': ${shownAs} has __init__.py at its top but no ${MANIFEST_FILE}; zip the add-on's folder, not its contents (or add a manifest to make it an extension).`,
    );
  }
  const packages = [];
  for (const entry of entries) {
    if (entry.isDirectory() && (await readdir(path.join(unzipped, entry.name))).includes('__init__.py')) packages.push(path.join(unzipped, entry.name));
  }
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.py')).map((e) => path.join(unzipped, e.name));
  const candidates = [...packages, ...files];
  if (candidates.length !== 1) {
    throw new UserError(`Input 'addon': ${shownAs} must hold exactly one add-on (a package folder or a .py file) at its top, found ${candidates.length}.`);
  }
  return candidates[0]!;
}

interface ExtensionPlace {
  /** the folder holding blender_manifest.toml (unzipped, for a zip) */
  root: string;
  /** that folder's own name; undefined for the top of a zip (extension build's shape) */
  folderName: string | undefined;
  archive: string | undefined;
  shownAs: string;
  moduleOverride: string | undefined;
  cwd: string;
  repository: string;
}

async function inspectExtension(place: ExtensionPlace): Promise<ExtensionSource> {
  const { root, folderName, archive, shownAs, moduleOverride, cwd, repository } = place;
  const manifestPath = path.join(root, MANIFEST_FILE);
  // Annotations name files relative to the workspace; a manifest inside a zip has no line to point at.
  const manifest = parseManifest(
    await readFile(manifestPath, 'utf8'),
    archive ? `${shownAs} › ${MANIFEST_FILE}` : displayPath(manifestPath, cwd),
    archive ? undefined : displayPath(manifestPath, cwd),
  );
  const platformProblems = requireInstallableManifest(manifest);
  const { data } = manifest;
  const id = data['id'] as string;
  if (data['type'] !== 'add-on') {
    throw new UserError(
      `${manifest.shownAs}: the extension '${id}' is a ${String(data['type'])}, not an add-on; blender-bg-action tests add-ons.`,
      undefined,
      locationOf(manifest, ['type']),
    );
  }
  const init = await readFile(path.join(root, '__init__.py'), 'utf8').catch(() => undefined);
  if (init === undefined) {
    throw new UserError(`Input 'addon': the extension '${id}' (${shownAs}) has no __init__.py beside ${MANIFEST_FILE}; Blender refuses an add-on without it.`);
  }
  const module = `bl_ext.${repository}.${id}`;
  // With bl_info too, it is also a legacy add-on: what Blender before 4.2 loads (it ignores
  // the manifest), under its folder's name (for a zip's contents at its top: the id).
  const legacy: LegacyAddonSource | undefined = hasBlInfo(init)
    ? { kind: archive ? 'zip' : 'package', shownAs, root, module: moduleOverride ?? folderName ?? id }
    : undefined;
  if (moduleOverride !== undefined && moduleOverride !== module && !legacy) {
    throw new UserError(
      `Input 'addon-module' does not apply to an extension: Blender imports '${id}' as ${module}, from the id in ${MANIFEST_FILE}; leave 'addon-module' out.`,
    );
  }
  const versionField = (key: string) => (typeof data[key] === 'string' && data[key] !== '' ? parseVersion(data[key]) : undefined);
  const permissions = data['permissions'];
  return {
    kind: 'extension',
    shownAs,
    root,
    archive,
    module,
    id,
    repository,
    legacy,
    manifest,
    platformProblems,
    blenderVersionMin: versionField('blender_version_min'),
    blenderVersionMax: versionField('blender_version_max'),
    declaresNetwork: typeof permissions === 'object' && permissions !== null && 'network' in permissions,
  };
}

/** `bl_info = {` at the top level of the package: the mark of a legacy add-on. */
export function hasBlInfo(init: string): boolean {
  return /^bl_info\s*(:[^=]*)?=/m.test(init);
}

/** A manifest problem placed on its line (a zip's manifest has none: its name, then). */
function placed(manifest: ExtensionManifest, problem: ManifestProblem): PlacedProblem {
  const location = locationOf(manifest, problem.keyPath);
  return { message: problem.message, location, at: location ? `${location.file}:${location.line}` : manifest.shownAs };
}

/**
 * Blender's installer's rules, before anything is downloaded: every problem, the first as the
 * sentence. What only the strict rules (the extensions platform's) refuse is returned, to
 * become warnings: Blender installs and runs such an extension all the same.
 */
function requireInstallableManifest(manifest: ExtensionManifest): PlacedProblem[] {
  const refused = manifestProblems(manifest.data, false).map((problem) => placed(manifest, problem));
  if (refused.length > 0) {
    const [first] = refused;
    const more = refused.length > 1 ? ` (and ${refused.length - 1} more, listed below)` : '';
    throw new UserError(
      `${first!.at}: Blender would refuse this extension manifest: ${first!.message}${more}.`,
      refused.length > 1 ? refused.map((p) => `${p.at}: ${p.message}`).join('\n') : undefined,
      first!.location,
    );
  }
  return manifestProblems(manifest.data, true).map((problem) => placed(manifest, problem));
}
