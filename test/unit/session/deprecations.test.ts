import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planDeprecationWarnings } from '../../../src/report/annotations.js';
import { BlenderNotices, type Deprecation, readDriverDeprecations } from '../../../src/session/deprecations.js';

describe("the driver's deprecations file", () => {
  it('the last line of a key wins (the final counts), a torn last line is skipped, a missing file is none', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-dep-'));
    const file = path.join(dir, 'deprecations.jsonl');
    const entry = (count: number) => JSON.stringify({ category: 'DeprecationWarning', message: 'old', file: '/run/addon/x.py', line: 3, count });
    await writeFile(
      file,
      `${entry(1)}\n${JSON.stringify({ category: 'FutureWarning', message: 'soon', file: '/run/addon/y.py', line: 9, count: 1 })}\n${entry(4)}\n{"categ`,
    );
    expect(await readDriverDeprecations(file)).toEqual([
      { source: 'python', category: 'DeprecationWarning', message: 'old', file: '/run/addon/x.py', line: 3, count: 4 },
      { source: 'python', category: 'FutureWarning', message: 'soon', file: '/run/addon/y.py', line: 9, count: 1 },
    ]);
    expect(await readDriverDeprecations(path.join(dir, 'none'))).toEqual([]);
  });
});

describe("Blender's own notices in its output", () => {
  it('lines that say deprecated, will be removed or update your add-ons; counted; a named place kept', () => {
    const notices = new BlenderNotices();
    for (const line of [
      "'bgl' imported without an OpenGL backend. Please update your add-ons to use the 'gpu' module.",
      "'bgl' imported without an OpenGL backend. Please update your add-ons to use the 'gpu' module.",
      'Warning: /run/addon/ui.py:40: property "use_old" is deprecated and will be removed in 5.0',
      '[blender-bg] a line of the driver that says deprecated',
      '  File "/x/y.py", line 3, in deprecated_thing',
      '___________________ test_deprecated_api ___________________',
      'E   AssertionError: deprecated',
      'Blender 4.3.2',
    ]) {
      notices.offer(line);
    }
    expect(notices.list()).toEqual([
      {
        source: 'blender',
        category: 'Blender',
        message: "'bgl' imported without an OpenGL backend. Please update your add-ons to use the 'gpu' module.",
        file: undefined,
        line: undefined,
        count: 2,
      },
      {
        source: 'blender',
        category: 'Blender',
        message: 'Warning: /run/addon/ui.py:40: property "use_old" is deprecated and will be removed in 5.0',
        file: '/run/addon/ui.py',
        line: 40,
        count: 1,
      },
    ]);
  });
});

describe('warning annotations for deprecations', () => {
  const dep = (n: number): Deprecation => ({ source: 'python', category: 'DeprecationWarning', message: `old ${n}`, file: `a/x${n}.py`, line: n, count: n });

  it('one per deprecation on its line, within GitHub’s 10; past that, the last lists the rest', () => {
    expect(planDeprecationWarnings([dep(2)])).toEqual([{ title: 'DeprecationWarning (2 times)', message: 'old 2', file: 'a/x2.py', startLine: 2 }]);
    const many = planDeprecationWarnings(Array.from({ length: 12 }, (_, i) => dep(i + 1)));
    expect(many).toHaveLength(10);
    expect(many.at(-1)).toEqual({
      title: '3 more deprecations',
      message: expect.stringMatching(/^Also: a\/x10\.py:10: DeprecationWarning: old 10; .*\. The job summary lists them all\.$/),
    });
  });
});
