import { describe, expect, it } from 'vitest';
import { embeddedJson, pageHtml } from '../../../src/html-report/page-html.js';
import type { PageModel } from '../../../src/html-report/page-model.js';

const HOSTILE = '</script><script>window.__pwned = 1</script><!-- \u2028';

function model(message: string): PageModel {
  return {
    title: 'my_addon on Blender 4.3.2: failed <b>',
    generatedAt: '2026-12-07T00:00:00.000Z',
    matrix: undefined,
    runs: [
      {
        label: '4.3.2',
        addon: 'my_addon',
        blender: '4.3.2',
        ok: false,
        failure: message,
        skipped: undefined,
        finishedAt: '2026-12-07T00:00:00.000Z',
        timings: '',
        logPath: undefined,
        teardown: undefined,
        counts: { passed: 0, failed: 1, skipped: 0, 'not-run': 0 },
        entries: [{ id: 'reply', kind: 'step', at: 'p.json:3', outcome: 'failed', time: '1ms', message, details: undefined }],
        health: [],
        deprecations: [],
        snapshots: [],
        ui: undefined,
        coverage: undefined,
      },
    ],
  };
}

describe('the HTML page', () => {
  it('embeds the data so that no reply can end its script element or become HTML', () => {
    const json = embeddedJson({ reply: HOSTILE });
    expect(json).not.toMatch(/<|\u2028/);
    expect(JSON.parse(json)).toEqual({ reply: HOSTILE });
    const html = pageHtml(model(HOSTILE));
    expect(html.match(/<\/script>/g)).toHaveLength(2); // the data's own and the page script's: none from the reply
    expect(html).toMatch(/var ROWS_AT_ONCE = \d+;/);
    expect(html).not.toContain('<script>window.__pwned'); // the reply is data, its tags never the page's
    expect(html).toContain('<title>my_addon on Blender 4.3.2: failed &lt;b&gt;</title>');
  });

  it('loads nothing from elsewhere: no src or href to another place, and a policy that allows no connection', () => {
    const html = pageHtml(model('x'));
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
    expect(html).toContain("default-src 'none'");
  });
});
