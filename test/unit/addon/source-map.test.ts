import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFileOf, sourceFolder } from '../../../src/addon/source-map.js';

describe("sourceFileOf: a staged file as the user's file", () => {
  const staged = { path: '/run/profile/scripts/addons/my_addon', source: { root: '/work/repo/src/my_addon', shownAs: 'src/my_addon', archive: undefined } };

  it('maps the copy back to the checkout, workspace-relative', () => {
    expect(sourceFileOf('/run/profile/scripts/addons/my_addon/ops/export.py', staged, '/work/repo')).toBe(path.join('src', 'my_addon', 'ops', 'export.py'));
    expect(sourceFileOf('/run/profile/scripts/addons/my_addon/ops/export.py', staged, '/elsewhere')).toBe('/work/repo/src/my_addon/ops/export.py');
  });

  it('a single-file add-on is its own root; a zip names the file inside it', () => {
    const file = { path: '/run/profile/scripts/addons/tool.py', source: { root: '/work/repo/tool.py', shownAs: 'tool.py', archive: undefined } };
    expect(sourceFileOf('/run/profile/scripts/addons/tool.py', file, '/work/repo')).toBe('tool.py');
    const zip = {
      path: '/run/profile/extensions/user_default/tool',
      source: { root: '/run/unzipped', shownAs: 'dist/tool-1.0.0.zip', archive: '/work/repo/dist/tool-1.0.0.zip' },
    };
    expect(sourceFileOf('/run/profile/extensions/user_default/tool/__init__.py', zip, '/work/repo')).toBe('dist/tool-1.0.0.zip › tool/__init__.py');
  });

  it('a file outside the copy (a bundled add-on) is not the user’s', () => {
    expect(sourceFileOf('/usr/share/blender/scripts/addons/my_addon/__init__.py', staged, '/work/repo')).toBeUndefined();
  });
});

describe('sourceFolder: the user folder whose test files are the add-on’s submodules', () => {
  const source = (root: string, archive?: string) => ({ root, shownAs: root, archive });

  it('a package or an extension folder is one', () => {
    expect(sourceFolder({ kind: 'package', source: source('/work/repo/my_addon') })).toBe('/work/repo/my_addon');
    expect(sourceFolder({ kind: 'extension', source: source('/work/repo/src/my_ext') })).toBe('/work/repo/src/my_ext');
  });

  it('a single file, a legacy zip or an extension zip is not (a zip unpacks into a temporary copy)', () => {
    expect(sourceFolder({ kind: 'file', source: source('/work/repo/tool.py') })).toBeNull();
    expect(sourceFolder({ kind: 'zip', source: source('/run/unzipped', '/work/repo/tool.zip') })).toBeNull();
    expect(sourceFolder({ kind: 'extension', source: source('/run/unzipped', '/work/repo/tool-1.0.0.zip') })).toBeNull();
  });
});
