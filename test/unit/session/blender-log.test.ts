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

  it("a line of stdout that arrives in two pieces around a line of stderr stays one line; each stream's last unfinished line is kept at close", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'bg-log-')), 'blender.log');
    const lines: string[] = [];
    const log = new BlenderLog(file, (line) => lines.push(line));
    log.write('startup ran ', 'stdout');
    log.write('[blender-bg] ready\n', 'stderr');
    log.write('Scene\n', 'stdout');
    log.write('no newline on stdout', 'stdout');
    log.write('nor on stderr', 'stderr');
    await log.close();

    expect(lines).toEqual(['[blender-bg] ready', 'startup ran Scene', 'no newline on stdout', 'nor on stderr']);
  });
});
