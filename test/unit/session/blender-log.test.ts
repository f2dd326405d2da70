import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlenderLog } from '../../../src/session/blender-log.js';

describe('BlenderLog, on a real file', () => {
  it('a "line" megabytes long without a newline is passed on in 64 K pieces; the file keeps it whole', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'bg-log-')), 'blender.log');
    const lines: string[] = [];
    const log = new BlenderLog(file, (line) => lines.push(line));
    const long = 'y'.repeat(3 * 1024 * 1024);
    for (let i = 0; i < long.length; i += 4096) log.write(long.slice(i, i + 4096));
    log.write('\nafter\n');
    await log.close();

    expect(lines.every((line) => line.length <= 64 * 1024)).toBe(true);
    expect(lines.join('')).toBe(`${long}after`);
    expect(lines.at(-1)).toBe('after');
    expect(readFileSync(file, 'utf8')).toBe(`${long}\nafter\n`);
  });
});
