import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAndReport } from '../../src/run-and-report.js';
import { TEST_BLENDERS, describeOnEachBlender } from '../helpers/blender.js';
import { FIXTURES } from '../helpers/fixture-run.js';
import { RecordingReporter } from '../helpers/recording-reporter.js';

// The HTML report of real runs, opened in a real browser: Debian's chromium through
// playwright-core (the package without bundled browsers). CI installs chromium; a machine
// without it fails here under CI=true, as every integration test that needs a program does.
const CHROMIUM = process.env['BLENDER_BG_CHROMIUM'] ?? '/usr/bin/chromium';
const GEM_MAKER = path.join(FIXTURES, 'addons', 'gem_maker');
const RENDER = { engine: 'CYCLES', resolution: [96, 64], samples: 8, setup: 'bpy.context.scene.cycles.max_bounces = 0' };
const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

let browser: Browser;
beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`the HTML report is tested in Chromium: install it (apt-get install chromium) or set BLENDER_BG_CHROMIUM (looked for ${CHROMIUM})`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
});

/** A workspace with a probe file (a render that differs from its approved image, a reply holding HTML) and a test file (one passes, one fails). */
async function workspace(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-html-report-'));
  await mkdir(path.join(dir, 'snapshots'));
  const grey = new PNG({ width: 96, height: 64 });
  grey.data.fill(128);
  await writeFile(path.join(dir, 'snapshots', 'gem.png'), PNG.sync.write(grey));
  const steps = [
    { name: 'build', blender: 'bpy.ops.object.gem_maker_build()', expect: ['FINISHED'] },
    { name: 'render', render: RENDER, expect: { image: 'snapshots/gem.png' } },
    { name: 'a reply holding HTML', blender: JSON.stringify(HOSTILE), expect: 'plain text' },
  ];
  await writeFile(path.join(dir, 'probes.json'), JSON.stringify({ steps }, null, 2));
  await writeFile(
    path.join(dir, 'test_page.py'),
    'import unittest\n\nimport bpy\n\n\nclass Page(unittest.TestCase):\n    def test_passes(self):\n        self.assertTrue(bpy.data)\n\n    def test_fails(self):\n        self.assertEqual(len(bpy.data.objects), 99)\n',
  );
  return dir;
}

describeOnEachBlender('the HTML report, in a real browser', (blender) => {
  it('loads with no console error; the first failure and a failing test are in view; the pictures load; filters and search work; a reply holding HTML is text', async () => {
    const dir = await workspace();
    const reporter = new RecordingReporter();
    const outcome = await runAndReport(
      {
        'blender-path': blender.executable,
        addon: GEM_MAKER,
        probes: [path.join(dir, 'probes.json')],
        tests: [path.join(dir, 'test_page.py')],
        'test-runner': 'unittest',
        'snapshot-results': path.join(dir, 'results'),
        'html-report': path.join(dir, 'report'),
        'ui-check': 'off',
      },
      reporter,
    );
    expect(outcome.ok).toBe(false);
    expect(reporter.htmlFolder).toBe(path.join(dir, 'report'));

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(pathToFileURL(path.join(dir, 'report', 'index.html')).href);
    await expect.poll(() => page.locator('tr.entry').count()).toBeGreaterThan(0);

    expect(await page.title()).toMatch(/ on Blender .*: failed$/);
    await expect.poll(() => page.locator('#first-failure').isVisible()).toBe(true);
    const failing = page.locator('tr.entry.failed').first();
    const box = await failing.boundingBox();
    expect(box && box.y + box.height).toBeLessThanOrEqual(800); // visible without scrolling

    // the render, the approved image and the diff, copied beside the page and loaded
    const images = page.locator('#snapshots img');
    expect(await images.count()).toBe(3);
    expect(await images.evaluateAll((all) => all.map((img) => (img as unknown as { naturalWidth: number }).naturalWidth))).toEqual([96, 96, 96]);

    // flip between the render and the approved image in one frame
    const first = images.first();
    const before = await first.getAttribute('src');
    await page.locator('button.flip').click();
    expect(await first.getAttribute('src')).not.toBe(before);

    // filters and search
    await page.locator('button[data-filter="failed"]').click();
    const shown = await page.locator('tr.entry').evaluateAll((rows) => rows.map((r) => r.className));
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.every((c) => c.includes('failed'))).toBe(true);
    await page.locator('button[data-filter="all"]').click();
    await page.locator('#search').fill('test_passes');
    expect(await page.locator('tr.entry .name').allTextContents()).toEqual(['test_page.py::Page::test_passes']);
    await page.locator('#search').fill('');

    // an add-on's reply is untrusted: shown as the text it is, never run
    await expect.poll(() => page.getByText('<script>window.__pwned = 1</script>', { exact: false }).count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();

    expect(problems).toEqual([]);
    await page.close();
  });
});

it("mode: report writes the matrix page: a column per Blender, a click on a cell shows its details, each Blender's run a tab", async () => {
  if (TEST_BLENDERS.length < 2) throw new Error('the matrix page needs two test Blenders or more (BLENDER_BG_TEST_BLENDERS)');
  const dir = await workspace();
  const results: string[] = [];
  for (const [index, blender] of TEST_BLENDERS.entries()) {
    const result = path.join(dir, `result-${index}.json`);
    await runAndReport(
      {
        'blender-path': blender.executable,
        addon: GEM_MAKER,
        tests: [path.join(dir, 'test_page.py')],
        'test-runner': 'unittest',
        'result-path': result,
        'ui-check': 'off',
      },
      new RecordingReporter(),
    );
    results.push(result);
  }
  const reporter = new RecordingReporter();
  await runAndReport({ mode: 'report', results, 'html-report': path.join(dir, 'matrix') }, reporter);
  expect(reporter.htmlFolder).toBe(path.join(dir, 'matrix'));
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(pathToFileURL(path.join(dir, 'matrix', 'index.html')).href);
  expect(await page.locator('#matrix th').allTextContents()).toEqual(['', ...TEST_BLENDERS.map((b) => expect.stringContaining(b.version.split(' ')[0]!)), '']);
  await page.locator('#matrix td.cell.failed').first().click();
  expect(await page.locator('#cell-detail').textContent()).toMatch(/test_fails on Blender .*: ✗ failed\nAssertionError/);
  expect(await page.locator('#tabs button').count()).toBe(TEST_BLENDERS.length);
  expect(problems).toEqual([]);
  await page.close();
});
