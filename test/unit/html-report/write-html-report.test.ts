import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeHtmlReport } from '../../../src/html-report/write-html-report.js';
import { resultFileOf } from '../../../src/report/result-file.js';
import { outcomeOf, stepResult } from '../../helpers/results.js';

describe('writeHtmlReport', () => {
  it('index.html with a copy of every picture the run names, the folder replaced whole; a folder it cannot write is one sentence', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-html-'));
    await mkdir(path.join(dir, 'results'));
    await writeFile(path.join(dir, 'results', 'gem-actual.png'), 'png bytes');
    const result = resultFileOf(
      outcomeOf([stepResult('p.json', 'render', false)], {
        blenderVersion: '4.3.2',
        snapshots: [
          {
            file: 'p.json',
            line: 4,
            image: 'snapshots/gem.png',
            verdict: 'fail-differs',
            actual: 'results/gem-actual.png',
            expected: 'results/missing.png',
            diff: undefined,
          },
        ],
      }),
      { addonInput: './a', toolVersion: '1' },
    );
    await mkdir(path.join(dir, 'report', 'images'), { recursive: true });
    await writeFile(path.join(dir, 'report', 'images', 'stale.png'), 'from an earlier run');
    expect(await writeHtmlReport('report', [{ label: '4.3.2', result }], undefined, dir)).toBeUndefined();
    expect(await readdir(path.join(dir, 'report', 'images'))).toEqual(['1-gem-actual.png']);
    const html = await readFile(path.join(dir, 'report', 'index.html'), 'utf8');
    expect(html).toContain('"actual":"images/1-gem-actual.png"');
    expect(html).not.toContain('results/gem-actual.png"');
    await writeFile(path.join(dir, 'blocked'), 'a file where the folder should go');
    expect(await writeHtmlReport('blocked/report', [{ label: '4.3.2', result }], undefined, dir)).toMatch(
      /^Input 'html-report': blocked\/report could not be written \(/,
    );
    expect((await readdir(dir)).filter((f) => f.includes('.writing-'))).toEqual([]);
  });
});

describe('writeHtmlReport, written by several runs at once', () => {
  it('each finds the folder whole, and the last one stays', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-html-race-'));
    const result = (version: string) =>
      resultFileOf(outcomeOf([stepResult('p.json', 'step', true)], { blenderVersion: version }), { addonInput: './a', toolVersion: '1' });
    const problems = await Promise.all(
      ['3.4.1', '4.3.2', '5.2.2', '4.2.0'].map((v) => writeHtmlReport('report', [{ label: v, result: result(v) }], undefined, dir)),
    );
    expect(problems).toEqual([undefined, undefined, undefined, undefined]);
    expect(await readdir(path.join(dir, 'report'))).toEqual(['images', 'index.html']);
    expect(await readFile(path.join(dir, 'report', 'index.html'), 'utf8')).toMatch(/on Blender (3\.4\.1|4\.3\.2|5\.2\.2|4\.2\.0): passed/);
  });
});
