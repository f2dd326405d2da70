import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseSourceImport, findSourceNameImport } from '../../../src/addon-tests/source-import.js';
import { readSuiteSources } from '../../../src/addon-tests/suite-sources.js';

async function suite(files: Record<string, string>) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-source-import-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return readSuiteSources(
    Object.keys(files)
      .filter((f) => f.startsWith('test_'))
      .map((f) => path.join(dir, f)),
    dir,
  );
}

describe('suites that import the add-on by its source folder’s name', () => {
  it('import name, from name import x, from name.sub import x: the first place, helpers beside the tests included', async () => {
    expect(findSourceNameImport(await suite({ 'test_a.py': 'import os\nimport my_tool\n' }), 'my_tool')).toBe('test_a.py:2');
    expect(findSourceNameImport(await suite({ 'test_a.py': 'import helpers\n', 'helpers.py': '\nfrom my_tool.ops import run\n' }), 'my_tool')).toBe(
      'helpers.py:2',
    );
    expect(findSourceNameImport(await suite({ 'test_a.py': '    from my_tool import ops\n' }), 'my_tool')).toBe('test_a.py:1');
  });

  it('a longer name that starts with it, the name in a string, or a relative import: not that import', async () => {
    const found = findSourceNameImport(
      await suite({ 'test_a.py': 'import my_tool_extra\nname = "import my_tool"\nfrom .my_tool import x\nfrom my_toolbox import y\n' }),
      'my_tool',
    );
    expect(found).toBeUndefined();
  });

  const extension = {
    module: 'bl_ext.user_default.vendor_tool',
    kind: 'extension' as const,
    source: { root: '/work/repo/src/my_tool', shownAs: 'src/my_tool', archive: undefined },
  };

  it('an extension whose folder the tests import: the folder’s parent on sys.path, said in one line', () => {
    expect(chooseSourceImport(extension, 'tests/test_a.py:2', '/work/repo')).toEqual({
      path: '/work/repo/src',
      sentence:
        "The tests import the add-on by its folder's name (tests/test_a.py:2), so src is on sys.path while they run, as in their own loop: my_tool is your checkout's files (Blender enabled a copy of them as bl_ext.user_default.vendor_tool).",
    });
  });

  it('not when the tests do not import it, when it is a zip, or when that name is the add-on’s own (a legacy add-on)', () => {
    expect(chooseSourceImport(extension, undefined)).toBeUndefined();
    expect(
      chooseSourceImport(
        { ...extension, source: { root: '/run/unzipped/my_tool', shownAs: 'my_tool.zip', archive: '/work/repo/my_tool.zip' } },
        'tests/test_a.py:2',
      ),
    ).toBeUndefined();
    expect(chooseSourceImport({ module: 'my_tool', kind: 'package', source: extension.source }, 'tests/test_a.py:2')).toBeUndefined();
  });
});
