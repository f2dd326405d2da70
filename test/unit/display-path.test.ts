import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayPath, isWithin } from '../../src/display-path.js';

describe('displayPath', () => {
  const cwd = path.resolve('/work/repo');
  it('is relative inside the working directory (what annotations want), absolute outside it', () => {
    expect(displayPath(path.join(cwd, 'addon', '__init__.py'), cwd)).toBe(path.join('addon', '__init__.py'));
    expect(displayPath(path.resolve('/tmp/other.py'), cwd)).toBe(path.resolve('/tmp/other.py'));
    expect(displayPath(path.resolve('/work/repository/x.py'), cwd)).toBe(path.resolve('/work/repository/x.py'));
    expect(displayPath(cwd, cwd)).toBe(cwd);
  });

  it('isWithin: the folder itself or below it, never beside or above', () => {
    expect(isWithin('/work/repo/tests/a.py', '/work/repo')).toBe(true);
    expect(isWithin('/work/repo', '/work/repo')).toBe(true);
    expect(isWithin('/work/repository/a.py', '/work/repo')).toBe(false);
    expect(isWithin('/work/a.py', '/work/repo')).toBe(false);
  });
});
