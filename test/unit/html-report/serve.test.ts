import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveReport } from '../../../src/html-report/serve.js';

describe('serveReport', () => {
  it('serves the folder’s index.html and pictures on localhost, nothing outside it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-serve-'));
    await mkdir(path.join(dir, 'report', 'images'), { recursive: true });
    await writeFile(path.join(dir, 'report', 'index.html'), '<!doctype html><title>r</title>');
    await writeFile(path.join(dir, 'report', 'images', '1-a.png'), 'png');
    await writeFile(path.join(dir, 'secret.txt'), 'not for the browser');
    const served = await serveReport(path.join(dir, 'report'));
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await fetch(served.url);
      expect([page.status, page.headers.get('content-type'), await page.text()]).toEqual([200, 'text/html; charset=utf-8', '<!doctype html><title>r</title>']);
      const image = await fetch(`${served.url}images/1-a.png`);
      expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/png']);
      expect((await fetch(`${served.url}..%2Fsecret.txt`)).status).toBe(404);
      expect((await fetch(`${served.url}missing.png`)).status).toBe(404);
    } finally {
      await served.close();
    }
  });
});
