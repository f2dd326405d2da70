import { existsSync } from 'node:fs';
import { mkdtemp, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { writeHtmlReport } from '../src/html-report/write-html-report.js';
import { resultFileOf } from '../src/report/result-file.js';
import { outcomeOf, stepResult } from '../test/helpers/results.js';

export interface HtmlReportCost {
  results: number;
  /** writing the folder (the page and its data) */
  writeMs: number;
  bytes: number;
  /** Chromium: the file opened to the first rows drawn */
  loadMs: number;
}

const TRACEBACK = Array.from(
  { length: 12 },
  (_, i) => `  File "/work/addon/tests/test_mesh.py", line ${i + 10}, in test_case\n    self.assertEqual(a, b)`,
).join('\n');

/** A run of `results` tests (one in ten failed, with a traceback): its page written, then opened in Chromium. */
export async function htmlReportCost(results: number, chromiumPath = '/usr/bin/chromium'): Promise<HtmlReportCost> {
  const steps = Array.from({ length: results }, (_, i) =>
    stepResult(`tests/test_${i % 40}.py`, `test_${i % 40}.py::Case::test_${i}`, i % 10 !== 0, 10 + i, {
      kind: 'test',
      ...(i % 10 === 0 ? { failure: `AssertionError: ${i} != ${i + 1}`, details: `Traceback (most recent call last):\n${TRACEBACK}` } : {}),
    }),
  );
  const result = resultFileOf(outcomeOf(steps, { blenderVersion: '4.3.2' }), { addonInput: './my_addon', toolVersion: 'bench' });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-bench-html-'));
  const started = performance.now();
  const problem = await writeHtmlReport(path.join(dir, 'report'), [{ label: '4.3.2', result }], undefined);
  const writeMs = performance.now() - started;
  if (problem) throw new Error(problem);
  const page = path.join(dir, 'report', 'index.html');
  const bytes = (await stat(page)).size;
  if (!existsSync(chromiumPath)) throw new Error(`the page is loaded in Chromium: install it (looked for ${chromiumPath})`);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  try {
    const tab = await browser.newPage();
    const opened = performance.now();
    await tab.goto(pathToFileURL(page).href);
    await tab.locator('tr.entry').first().waitFor();
    return { results, writeMs, bytes, loadMs: performance.now() - opened };
  } finally {
    await browser.close();
  }
}
