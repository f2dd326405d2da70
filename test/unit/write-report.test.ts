import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReport } from '../../src/write-report.js';

describe('writeReport: a report file, or one sentence why not', () => {
  it('makes its folder and writes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-report-'));
    expect(await writeReport(path.join(dir, 'a', 'b', 'junit.xml'), 'junit-path', '<x/>')).toBeUndefined();
    expect(await readFile(path.join(dir, 'a', 'b', 'junit.xml'), 'utf8')).toBe('<x/>');
  });

  it('a directory, a path through a file, /proc: each one sentence naming the input and the path', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-report-'));
    await writeFile(path.join(dir, 'file'), '');
    expect(await writeReport(dir, 'junit-path', 'x')).toBe(`Input 'junit-path': ${dir} could not be written (it is a directory).`);
    expect(await writeReport(path.join(dir, 'file', 'junit.xml'), 'result-path', 'x')).toBe(
      `Input 'result-path': ${path.join(dir, 'file', 'junit.xml')} could not be written (a part of its path is a file, not a folder).`,
    );
    expect(await writeReport('/proc/junit.xml', 'junit-path', 'x')).toMatch(/^Input 'junit-path': \/proc\/junit\.xml could not be written \(.+\)\.$/);
    // A folder under /proc: Node's recursive mkdir would spin there forever.
    expect(await writeReport('/proc/x/junit.xml', 'junit-path', 'x')).toBe(
      "Input 'junit-path': /proc/x/junit.xml could not be written (its folder does not exist and could not be made).",
    );
  });
});
