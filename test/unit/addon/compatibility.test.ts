import { describe, expect, it } from 'vitest';
import { asLoadedBy, incompatibility } from '../../../src/addon/compatibility.js';
import { parseManifest } from '../../../src/addon/manifest.js';
import type { AddonSource, ExtensionSource } from '../../../src/addon/staged-addon.js';

const TEXT = 'id = "tool"\nblender_version_min = "4.2.0"\nblender_version_max = "5.0.0"\n';

function extension(min: [number, number, number] | undefined, max: [number, number, number] | undefined): ExtensionSource {
  return {
    kind: 'extension',
    shownAs: 'ext',
    root: '/x/ext',
    archive: undefined,
    module: 'bl_ext.user_default.tool',
    id: 'tool',
    repository: 'user_default',
    legacy: undefined,
    platformProblems: [],
    manifest: parseManifest(TEXT, 'ext/blender_manifest.toml', 'ext/blender_manifest.toml'),
    blenderVersionMin: min,
    blenderVersionMax: max,
    declaresNetwork: false,
  };
}

describe('incompatibility: can this Blender run the add-on?', () => {
  const legacy: AddonSource = { kind: 'package', shownAs: 'a', root: '/a', module: 'a' };

  it('legacy add-ons run on any Blender (Blender itself enforces no range for them)', () => {
    expect(incompatibility(legacy, [2, 93, 0])).toBeUndefined();
    expect(incompatibility(legacy, [5, 2, 2])).toBeUndefined();
  });

  it('an extension needs 4.2 or newer', () => {
    expect(incompatibility(extension(undefined, undefined), [4, 1, 1])?.reason).toBe(
      'The add-on ext is a Blender extension (ext/blender_manifest.toml), which Blender runs from 4.2.0 on; this is Blender 4.1.1.',
    );
    expect(incompatibility(extension(undefined, undefined), [4, 2, 0])).toBeUndefined();
  });

  it('blender_version_min is inclusive, blender_version_max exclusive (as Blender reads them), each pointing at its line', () => {
    const ext = extension([4, 2, 0], [5, 0, 0]);
    expect(incompatibility(ext, [4, 2, 0])).toBeUndefined();
    expect(incompatibility(ext, [4, 5, 9])).toBeUndefined();
    expect(incompatibility(extension([4, 3, 0], undefined), [4, 2, 9])).toEqual({
      reason: "The extension 'tool' needs Blender 4.3.0 or newer (blender_version_min in ext/blender_manifest.toml); this is Blender 4.2.9.",
      location: { file: 'ext/blender_manifest.toml', line: 2 },
    });
    expect(incompatibility(ext, [5, 0, 0])).toEqual({
      reason: "The extension 'tool' runs on Blender older than 5.0.0 (blender_version_max in ext/blender_manifest.toml); this is Blender 5.0.0.",
      location: { file: 'ext/blender_manifest.toml', line: 3 },
    });
  });
});

describe('asLoadedBy: what this Blender makes of an add-on', () => {
  const dual: ExtensionSource = { ...extension(undefined, undefined), legacy: { kind: 'package', shownAs: 'ext', root: '/x/ext', module: 'ext' } };

  it('an extension with bl_info is a legacy add-on before 4.2, an extension from 4.2 on', () => {
    expect(asLoadedBy(dual, [3, 4, 1])).toEqual({ kind: 'package', shownAs: 'ext', root: '/x/ext', module: 'ext' });
    expect(asLoadedBy(dual, [4, 1, 1])).toBe(dual.legacy);
    expect(asLoadedBy(dual, [4, 2, 0])).toBe(dual);
    expect(incompatibility(asLoadedBy(dual, [3, 4, 1]), [3, 4, 1])).toBeUndefined();
  });

  it('an extension without bl_info stays one (and is then refused before 4.2); an unknown version is taken as new', () => {
    const only = extension(undefined, undefined);
    expect(asLoadedBy(only, [3, 4, 1])).toBe(only);
    expect(asLoadedBy(dual, undefined)).toBe(dual);
  });
});
