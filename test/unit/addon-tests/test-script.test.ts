import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTestScript, requireTestScript, splitTestScript, withTestScript } from '../../../src/addon-tests/test-script.js';
import { UserError } from '../../../src/errors.js';
import { parseRunConfig } from '../../../src/inputs/config.js';

describe('test-script', () => {
  it("reads Blender's command line tail: the script, then -- and its arguments (quoted ones whole)", () => {
    expect(parseTestScript('tests/runner.py')).toEqual({ path: 'tests/runner.py', args: [] });
    expect(parseTestScript('tests/runner.py -- --coverage "a b"')).toEqual({ path: 'tests/runner.py', args: ['--coverage', 'a b'] });
    expect(parseTestScript('tests/runner.py --')).toEqual({ path: 'tests/runner.py', args: [] });
  });

  it('arguments without -- before them would be Blender’s own: one sentence, from the input', () => {
    expect(() => parseRunConfig({ addon: './a', 'test-script': 'tests/runner.py --coverage' })).toThrow(
      new UserError(
        "Input 'test-script' gives '--coverage' after the script without '--' before it: the script's arguments come after '--', as on Blender's command line (tests/runner.py -- --coverage).",
      ),
    );
  });

  it('must be a file, said before anything starts', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-test-script-'));
    await mkdir(path.join(dir, 'tests'));
    await writeFile(path.join(dir, 'tests', 'runner.py'), 'pass\n');
    expect(await requireTestScript({ path: 'tests/runner.py', args: ['-x'] }, dir)).toEqual({ path: path.join(dir, 'tests', 'runner.py'), args: ['-x'] });
    await expect(requireTestScript({ path: 'tests', args: [] }, dir)).rejects.toThrow(
      `test-script: tests is not a file (looked for ${path.join(dir, 'tests')}).`,
    );
  });

  it('is one more file of the suite (once) for the queue and the shards, and is told apart in a batch', () => {
    const script = { path: 'tests/runner.py', args: ['--coverage'] };
    expect(withTestScript(['tests/test_a.py'], script, '/repo')).toEqual(['tests/test_a.py', 'tests/runner.py']);
    expect(withTestScript(['/repo/tests/runner.py'], script, '/repo')).toEqual(['/repo/tests/runner.py']);
    expect(withTestScript(['tests/test_a.py'], undefined, '/repo')).toEqual(['tests/test_a.py']);
    expect(splitTestScript(['tests/test_a.py', '/repo/tests/runner.py'], script, '/repo')).toEqual({
      files: ['tests/test_a.py'],
      script: { path: '/repo/tests/runner.py', args: ['--coverage'] },
    });
    expect(splitTestScript(['tests/test_a.py'], script, '/repo')).toEqual({ files: ['tests/test_a.py'], script: undefined });
  });
});
