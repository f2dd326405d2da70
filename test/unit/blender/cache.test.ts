import { describe, expect, it } from 'vitest';
import { crossRunKey, crossRunPrefix } from '../../../src/blender/cache.js';

const linux = { os: 'linux', arch: 'x64' } as const;

describe('Actions cache keys', () => {
  it('an exact version is its own key; a series prefix finds any of its patches, and no other series', () => {
    expect(crossRunKey('4.2.10', linux)).toBe('blender-bg-action-linux-x64-4.2.10');
    const series = crossRunPrefix(linux, '4.2');
    expect(crossRunKey('4.2.10', linux).startsWith(series)).toBe(true);
    expect(crossRunKey('4.2.3', linux).startsWith(series)).toBe(true);
    expect(crossRunKey('4.20.1', linux).startsWith(series)).toBe(false);
    expect(crossRunKey('5.1.0-daily.abc', linux).startsWith(crossRunPrefix(linux))).toBe(true);
    expect(crossRunKey('4.2.3', { os: 'windows', arch: 'x64' }).startsWith(crossRunPrefix(linux))).toBe(false);
  });
});
