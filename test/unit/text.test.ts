import { describe, expect, it } from 'vitest';
import { capitalized, escapeRegExp, fillPlaceholders, truncate } from '../../src/text.js';

describe('text helpers', () => {
  it('truncate cuts to the limit with an ellipsis as its last character, and leaves shorter text alone', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abcdef', 4)).toHaveLength(4);
    expect(truncate('abcd', 4)).toBe('abcd');
  });

  it('capitalized upper-cases only the first letter', () => {
    expect(capitalized('reload 1/3: the add-on')).toBe('Reload 1/3: the add-on');
    expect(capitalized('')).toBe('');
  });

  it('fillPlaceholders fills the known names and leaves an unknown one as written', () => {
    expect(fillPlaceholders('--port {port} --w {worker} {other}', { port: 6688, worker: 2 })).toBe('--port 6688 --w 2 {other}');
    expect(fillPlaceholders('{companion-port}', { 'companion-port': undefined })).toBe('');
  });

  it('escapeRegExp makes text match itself literally', () => {
    const text = 'a.b*c(d)[e]$^';
    expect(new RegExp(`^${escapeRegExp(text)}$`).test(text)).toBe(true);
    expect(new RegExp(escapeRegExp('a.b')).test('axb')).toBe(false);
  });
});
