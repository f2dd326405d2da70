import { describe, expect, it } from 'vitest';
import { formatBytes, parseBytes } from '../../src/bytes.js';

describe('bytes', () => {
  it('formats exact below a MiB, one decimal at most above', () => {
    expect(formatBytes(812)).toBe('812 bytes');
    expect(formatBytes(64 * 1024 * 1024)).toBe('64 MiB');
    expect(formatBytes(1.25 * 1024 ** 3)).toBe('1.3 GiB');
    expect(formatBytes(Infinity)).toBe('more than 8 PiB');
  });

  it('parses sizes in SI and binary units, bare numbers as bytes, and nothing else', () => {
    expect(parseBytes('64MiB')).toBe(64 * 1024 * 1024);
    expect(parseBytes(' 500 KB ')).toBe(500_000);
    expect(parseBytes('1048576')).toBe(1048576);
    expect(parseBytes('1.5kib')).toBe(1536);
    expect(parseBytes('64 MB/s')).toBeUndefined();
    expect(parseBytes('-1')).toBeUndefined();
    expect(parseBytes('lots')).toBeUndefined();
  });
});
