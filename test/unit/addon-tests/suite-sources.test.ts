import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSelfEnabling } from '../../../src/addon-tests/addon-state.js';
import { importsOf, readSuiteSources } from '../../../src/addon-tests/suite-sources.js';

/** A workspace of `files` (path → text); returns its root. */
async function workspace(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'bg-suite-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
  return root;
}

const ENABLES = 'import addon_utils\n\ndef setup():\n    addon_utils.enable("io_xray")\n';

describe('readSuiteSources: what a suite is made of', () => {
  it("follows the suite's own imports within the workspace: a helper one folder up (blender-xray's tests/cases → tests/utils.py)", async () => {
    const root = await workspace({
      'tests/__init__.py': '',
      'tests/utils.py': ENABLES,
      'tests/cases/__init__.py': '',
      'tests/cases/test_import.py': 'from tests import utils\n\ndef test_x():\n    utils.setup()\n',
    });
    const sources = await readSuiteSources([path.join(root, 'tests/cases/test_import.py')], root);
    expect(sources.map((s) => s.shown)).toEqual(['tests/__init__.py', 'tests/cases/__init__.py', 'tests/cases/test_import.py', 'tests/utils.py']);
    expect(findSelfEnabling(sources, ['io_xray'])).toBe('tests/utils.py:4');
  });

  it('relative imports, `import utils` from a folder a loop puts on sys.path, and conftest.py files up the tree', async () => {
    const root = await workspace({
      'conftest.py': 'import pytest\n',
      'tests/conftest.py': 'from tests.support.enable import enable_it\n',
      'tests/__init__.py': '',
      'tests/support/__init__.py': '',
      'tests/support/enable.py': ENABLES,
      'tests/support/unused.py': 'X = 1\n',
      'tests/unit/mesh/test_mesh.py': 'from ...support import unused\nimport helpers_far\n',
      'tests/unit/helpers_far.py': 'Y = 2\n',
    });
    const shown = (await readSuiteSources([path.join(root, 'tests/unit/mesh/test_mesh.py')], root)).map((s) => s.shown);
    expect(shown).toEqual([
      'conftest.py',
      'tests/__init__.py',
      'tests/conftest.py',
      'tests/support/__init__.py',
      'tests/support/enable.py',
      'tests/support/unused.py',
      'tests/unit/helpers_far.py',
      'tests/unit/mesh/test_mesh.py',
    ]);
  });

  it("never the add-on's own files, nor anything outside the workspace", async () => {
    const outside = await workspace({ 'far_helper.py': ENABLES });
    const root = await workspace({
      'io_xray/__init__.py': ENABLES,
      'tests/test_a.py': `import io_xray\nimport far_helper\nimport sys\nsys.path.append(${JSON.stringify(outside)})\n`,
    });
    const shown = (await readSuiteSources([path.join(root, 'tests/test_a.py')], root, [path.join(root, 'io_xray')])).map((s) => s.shown);
    expect(shown).toEqual(['tests/test_a.py']);
  });
});

describe('importsOf', () => {
  it('reads import and from-import lines, relative levels and the names taken', () => {
    expect(importsOf(['import os, tests.utils as u', 'from .. import utils, data', 'from .cases.base import (Base,', '    x = 1'])).toEqual([
      { level: 0, module: 'os', names: [] },
      { level: 0, module: 'tests.utils', names: [] },
      { level: 2, module: '', names: ['utils', 'data'] },
      { level: 1, module: 'cases.base', names: ['Base'] },
    ]);
  });
});
