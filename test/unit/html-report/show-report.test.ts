import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { showReport } from '../../../src/html-report/show-report.js';

describe('show-report', () => {
  it('a folder with no report is one sentence and exit 2', async () => {
    const lines: string[] = [];
    expect(await showReport([path.join(os.tmpdir(), 'bg-no-report-here')], (line) => lines.push(line), Promise.resolve())).toBe(2);
    expect(lines).toEqual([
      expect.stringMatching(
        /^No HTML report in .*bg-no-report-here: a run writes one there \(html-report; the command line's default is blender-bg-report\/\)/,
      ),
    ]);
  });

  it('serves the report until stopped, printing the address', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-show-'));
    await mkdir(path.join(dir, 'report'));
    await writeFile(path.join(dir, 'report', 'index.html'), '<!doctype html><title>the report</title>');
    const lines: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const running = showReport([path.join(dir, 'report')], (line) => lines.push(line), stopped);
    await expect.poll(() => lines.length).toBe(1);
    const url = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(lines[0]!)![1]!;
    expect(await (await fetch(url)).text()).toContain('the report');
    stop();
    expect(await running).toBe(0);
    await expect(fetch(url)).rejects.toThrow(); // closed
  });
});
