import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { expandTestPatterns, namedAs } from '../../src/globs.js';

async function tree(files: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-globs-'));
  for (const file of files) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), '');
  }
  return dir;
}

describe('expandTestPatterns: the tests input', () => {
  it('a folder stands for its test_*.py, *_test.py, *_tests.py and *.test.py files at any depth, not caches or vendored folders', async () => {
    const dir = await tree([
      'tests/test_a.py',
      'tests/pkg/__init__.py',
      'tests/pkg/foo_test.py',
      'tests/pkg/mesh_tests.py',
      'tests/cube.test.py',
      'tests/notatest.py',
      'tests/pkg/contests.py',
      'tests/pkg/helpers.py',
      'tests/pkg/testing.py',
      'tests/node_modules/x/test_vendored.py',
      'tests/__pycache__/test_a.py',
      'tests/.hidden/test_hidden.py',
    ]);
    const files = await expandTestPatterns(['tests/'], dir);
    expect(files.map((f) => path.relative(dir, f))).toEqual(['tests/cube.test.py', 'tests/pkg/foo_test.py', 'tests/pkg/mesh_tests.py', 'tests/test_a.py']);
  });

  it('files and globs as for probes, ! excludes from folders too', async () => {
    const dir = await tree(['tests/test_a.py', 'tests/test_b.py', 'other/check.py']);
    const files = await expandTestPatterns(['tests', '!tests/test_b.py', 'other/check.py'], dir);
    expect(files.map((f) => path.relative(dir, f))).toEqual(['tests/test_a.py', 'other/check.py']);
  });

  it('an exclusion anywhere (**/...) excludes from folders too; a file named with glob characters is itself', async () => {
    const dir = await tree(['tests/test_a.py', 'tests/slow/test_big.py', 'tests/test_[x].py', 'tests/test_skip.py']);
    const files = await expandTestPatterns(['tests', '!**/test_skip.py', '!tests/slow/**'], dir);
    expect(files.map((f) => path.relative(dir, f))).toEqual(['tests/test_[x].py', 'tests/test_a.py']);
  });

  it('a folder without test files is one sentence', async () => {
    const dir = await tree(['tests/helpers.py']);
    const error = await expandTestPatterns(['tests'], dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      `Input 'tests': the folder tests holds no test_*.py, *_test.py, *_tests.py or *.test.py file (relative to ${dir}).`,
    );
  });
});

describe('namedAs', () => {
  it('says how many files and by which of the names, in their order', () => {
    expect(namedAs(['t/test_a.py'])).toBe('1 file named test_*.py');
    expect(namedAs(['t/a_tests.py', 't/b_tests.py', 't/test_c.py'])).toBe('3 files named test_*.py and *_tests.py');
    expect(namedAs(['t/x_test.py', 't/y_tests.py', 't/test_z.py'])).toBe('3 files named test_*.py, *_test.py and *_tests.py');
    expect(namedAs(['t/cube.test.py', 't/armature.test.py'])).toBe('2 files named *.test.py');
  });
});
