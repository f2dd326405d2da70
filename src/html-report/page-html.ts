import type { PageModel } from './page-model.js';

/** Rows drawn at once: a 20,000-step probe file stays usable (the rest come with "show more"). */
const ROWS_AT_ONCE = 200;

/**
 * The model as a JSON text that cannot end the script element it sits in: `<` is written as
 * \u003c (so no `</script>` or `<!--` an add-on's reply holds reaches the HTML parser), and the
 * two line separators JavaScript once refused in strings are escaped too.
 */
export function embeddedJson(model: unknown): string {
  return JSON.stringify(model)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * index.html: one file, no server, nothing fetched (no CDN; the Content-Security-Policy allows
 * no connection at all). The data sits in a JSON script element; the page's own script renders it
 * with textContent only, so nothing from a reply, a test's output or a file name is ever HTML.
 */
export function pageHtml(model: PageModel): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' data: file:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>${escapeText(model.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1 id="title"></h1><p id="generated"></p></header>
<main id="main"></main>
<script type="application/json" id="model">${embeddedJson(model)}</script>
<script>var ROWS_AT_ONCE = ${ROWS_AT_ONCE};${SCRIPT}</script>
</body>
</html>
`;
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const STYLE = `
:root { --red: #c62828; --green: #2e7d32; --grey: #666; --amber: #b26a00; font-family: system-ui, sans-serif; }
body { margin: 0 auto; max-width: 1200px; padding: 0 16px 48px; color: #222; }
h1 { font-size: 1.4em; margin: 16px 0 4px; } h2 { font-size: 1.15em; margin: 24px 0 8px; }
#generated, .muted { color: var(--grey); font-size: .9em; }
.verdict { display: inline-block; padding: 2px 8px; border-radius: 4px; color: #fff; font-weight: 600; }
.verdict.passed { background: var(--green); } .verdict.failed { background: var(--red); } .verdict.skipped { background: var(--grey); }
.first-failure { border-left: 4px solid var(--red); background: #fdecea; padding: 8px 12px; margin: 8px 0; white-space: pre-wrap; }
.toolbar { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; margin: 8px 0; }
.toolbar button { border: 1px solid #bbb; background: #f6f6f6; border-radius: 4px; padding: 3px 10px; cursor: pointer; }
.toolbar button.on { background: #333; color: #fff; border-color: #333; }
.toolbar input { padding: 4px 8px; min-width: 240px; }
table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #e3e3e3; padding: 4px 6px; text-align: left; vertical-align: top; }
tr.entry { cursor: pointer; } tr.entry:hover { background: #fafafa; }
.outcome { font-weight: 600; white-space: nowrap; } .outcome.passed { color: var(--green); } .outcome.failed { color: var(--red); }
.outcome.skipped, .outcome.not-run { color: var(--grey); }
pre { background: #f6f6f6; padding: 8px; overflow-x: auto; white-space: pre-wrap; word-break: break-word; margin: 4px 0; }
.at { font-family: ui-monospace, monospace; font-size: .9em; color: #444; }
.pictures { display: flex; gap: 12px; flex-wrap: wrap; } .pictures figure { margin: 0; } .pictures img { max-width: 360px; border: 1px solid #ccc; display: block; }
td.cell { text-align: center; cursor: pointer; } td.cell.failed { background: #fdecea; color: var(--red); font-weight: 600; } td.cell.passed { color: var(--green); }
.tabs button { margin-right: 4px; }
`;

// The page's own script: plain DOM, text only. Kept small: a reader opens the file, nothing is built.
const SCRIPT = `
(function () {
  'use strict';
  var model = JSON.parse(document.getElementById('model').textContent);
  var main = document.getElementById('main');
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) for (var key in attrs) { if (key === 'text') node.textContent = attrs[key]; else if (key === 'cls') node.className = attrs[key]; else node.setAttribute(key, attrs[key]); }
    (children || []).forEach(function (child) { if (child) node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child); });
    return node;
  }
  var MARK = { passed: '✓ passed', failed: '✗ failed', skipped: '○ skipped', 'not-run': '– not run' };
  document.getElementById('title').textContent = model.title;
  document.getElementById('generated').textContent = 'Written ' + model.generatedAt;

  if (model.matrix) main.appendChild(matrix(model.matrix));
  var runArea = el('div', { id: 'run' });
  if (model.runs.length > 1) {
    var tabs = el('div', { cls: 'toolbar tabs', id: 'tabs' });
    model.runs.forEach(function (run, index) {
      var button = el('button', { text: run.label + (run.ok ? ' ✓' : ' ✗'), 'data-run': String(index) });
      button.addEventListener('click', function () { show(index); });
      tabs.appendChild(button);
    });
    main.appendChild(el('h2', { text: 'Each Blender' }));
    main.appendChild(tabs);
  }
  main.appendChild(runArea);
  var failing = model.runs.findIndex(function (run) { return !run.ok; });
  show(failing >= 0 ? failing : 0);

  function show(index) {
    runArea.textContent = '';
    runArea.appendChild(runView(model.runs[index]));
    document.querySelectorAll('#tabs button').forEach(function (b) { b.classList.toggle('on', b.getAttribute('data-run') === String(index)); });
  }

  function matrix(m) {
    var box = el('section', { id: 'matrix' }, [el('h2', { text: 'Blender versions' })]);
    var head = el('tr', null, [el('th', { text: '' })].concat(m.columns.map(function (c) { return el('th', { text: c }); })).concat([el('th', { text: '' })]));
    var body = el('tbody');
    var detail = el('pre', { id: 'cell-detail', hidden: 'hidden' });
    m.rows.forEach(function (row) {
      var tr = el('tr', null, [el('td', { text: row.name })]);
      row.cells.forEach(function (cell, index) {
        var td = el('td', { cls: 'cell ' + (cell ? cell.outcome : ''), text: cell ? (cell.text || MARK[cell.outcome].charAt(0)) : '' });
        if (cell) td.addEventListener('click', function () {
          detail.hidden = false;
          detail.textContent = row.name + ' on Blender ' + m.columns[index] + ': ' + MARK[cell.outcome] + (cell.message ? '\\n' + cell.message : '');
        });
        tr.appendChild(td);
      });
      tr.appendChild(el('td', { cls: 'muted', text: row.firstFailing ? ['fails', 'from', row.firstFailing].join(' ') : '' }));
      body.appendChild(tr);
    });
    box.appendChild(el('table', null, [el('thead', null, [head]), body]));
    box.appendChild(detail);
    return box;
  }

  function runView(run) {
    var box = el('section', { cls: 'run' });
    var verdict = run.skipped ? 'skipped' : run.ok ? 'passed' : 'failed';
    box.appendChild(el('h2', null, [el('span', { cls: 'verdict ' + verdict, text: verdict }), ' ' + run.addon + ' on Blender ' + run.blender]));
    box.appendChild(el('p', { cls: 'muted', text: [run.finishedAt, run.timings, run.counts.passed + ' passed, ' + run.counts.failed + ' failed, ' + run.counts.skipped + ' skipped, ' + run.counts['not-run'] + ' not run'].filter(Boolean).join(' · ') }));
    if (run.failure) box.appendChild(el('div', { cls: 'first-failure', id: 'first-failure', text: run.failure }));
    if (run.skipped) box.appendChild(el('div', { cls: 'muted', text: 'Skipped: ' + run.skipped }));
    box.appendChild(entries(run.entries));
    if (run.snapshots.length) box.appendChild(snapshots(run.snapshots));
    if (run.ui) box.appendChild(ui(run.ui));
    run.health.forEach(function (section) {
      box.appendChild(el('h2', { text: section.title }));
      section.lines.forEach(function (line) {
        box.appendChild(el('div', null, [line.text, line.at ? el('span', { cls: 'at', text: ' ' + line.at }) : null]));
        if (line.details) box.appendChild(el('pre', { text: line.details }));
      });
    });
    if (run.coverage) {
      box.appendChild(el('h2', { text: "Coverage of the add-on's files: " + run.coverage.percent }));
      var rows = run.coverage.files.map(function (f) { return el('tr', null, [el('td', { cls: 'at', text: f.file }), el('td', { text: f.percent }), el('td', { cls: 'at', text: f.missing ? 'not run: ' + f.missing : '' })]); });
      box.appendChild(el('table', { id: 'coverage' }, [el('tbody', null, rows)]));
    }
    if (run.deprecations.length) {
      box.appendChild(el('h2', { text: 'Deprecations (' + run.deprecations.length + ')' }));
      run.deprecations.forEach(function (d) { box.appendChild(el('div', null, [d.text + (d.count > 1 ? ' (' + d.count + ' times)' : ''), d.at ? el('span', { cls: 'at', text: ' ' + d.at }) : null])); });
    }
    box.appendChild(el('h2', { text: 'Session' }));
    if (run.teardown) box.appendChild(el('div', { text: run.teardown }));
    if (run.logPath) box.appendChild(el('div', null, ['Blender log: ', el('span', { cls: 'at', text: run.logPath })]));
    return box;
  }

  function entries(list) {
    var box = el('section', { id: 'entries' }, [el('h2', { text: 'Tests and probe steps (' + list.length + ')' })]);
    var filter = 'all', search = '', shown = ROWS_AT_ONCE;
    var bar = el('div', { cls: 'toolbar' });
    ['all', 'failed', 'passed', 'skipped', 'not-run'].forEach(function (name) {
      var count = name === 'all' ? list.length : list.filter(function (e) { return e.outcome === name; }).length;
      var button = el('button', { text: (name === 'not-run' ? 'not run' : name) + ' (' + count + ')', 'data-filter': name });
      button.addEventListener('click', function () { filter = name; shown = ROWS_AT_ONCE; draw(); });
      bar.appendChild(button);
    });
    var input = el('input', { type: 'search', placeholder: 'Search by name or file', id: 'search' });
    input.addEventListener('input', function () { search = input.value.toLowerCase(); shown = ROWS_AT_ONCE; draw(); });
    bar.appendChild(input);
    box.appendChild(bar);
    var body = el('tbody');
    box.appendChild(el('table', null, [body]));
    var more = el('button', { text: 'Show more', id: 'more' });
    more.addEventListener('click', function () { shown += ROWS_AT_ONCE; draw(); });
    box.appendChild(more);
    draw();
    return box;

    function draw() {
      bar.querySelectorAll('button').forEach(function (b) { b.classList.toggle('on', b.getAttribute('data-filter') === filter); });
      var matching = list.filter(function (e) {
        return (filter === 'all' || e.outcome === filter) && (!search || (e.id + ' ' + e.at).toLowerCase().indexOf(search) >= 0);
      });
      body.textContent = '';
      matching.slice(0, shown).forEach(function (e) {
        var row = el('tr', { cls: 'entry ' + e.outcome }, [
          el('td', { cls: 'outcome ' + e.outcome, text: MARK[e.outcome] }),
          el('td', null, [el('div', { cls: 'name', text: e.id }), el('div', { cls: 'at', text: e.at })]),
          el('td', { cls: 'muted', text: e.time }),
        ]);
        body.appendChild(row);
        if (e.message || e.details) {
          var detail = el('tr', { cls: 'detail' }, [el('td'), el('td', { colspan: '2' }, [e.message ? el('div', { cls: 'message', text: e.message }) : null, e.details ? el('pre', { text: e.details }) : null])]);
          detail.hidden = e.outcome !== 'failed';
          row.addEventListener('click', function () { detail.hidden = !detail.hidden; });
          body.appendChild(detail);
        }
      });
      more.hidden = matching.length <= shown;
    }
  }

  function picture(src, caption) {
    return src ? el('figure', null, [el('img', { src: src, alt: caption }), el('figcaption', { text: caption })]) : null;
  }

  function snapshots(list) {
    var box = el('section', { id: 'snapshots' }, [el('h2', { text: 'Render snapshots (' + list.length + ')' })]);
    list.forEach(function (s) {
      box.appendChild(el('div', null, [el('span', { cls: 'at', text: s.at }), ' ' + s.image + ': ' + s.verdict]));
      var pictures = el('div', { cls: 'pictures' }, [picture(s.actual, 'render'), picture(s.expected, 'approved'), picture(s.diff, 'diff')]);
      box.appendChild(pictures);
      if (s.actual && s.expected) {
        var flip = el('button', { text: 'Flip render / approved', cls: 'flip' });
        var first = pictures.querySelector('img');
        flip.addEventListener('click', function () { first.src = first.getAttribute('src') === s.actual ? s.expected : s.actual; });
        box.appendChild(el('div', { cls: 'toolbar' }, [flip]));
      }
    });
    return box;
  }

  function ui(u) {
    var box = el('section', { id: 'ui' }, [el('h2', { text: "The add-on's UI" }), el('p', { cls: 'muted', text: u.summary })]);
    u.errors.forEach(function (e) { box.appendChild(el('div', { cls: 'first-failure' }, [e.text, e.at ? el('span', { cls: 'at', text: ' ' + e.at }) : null])); });
    var pictures = el('div', { cls: 'pictures' });
    u.targets.forEach(function (t) {
      if (t.image) pictures.appendChild(picture(t.image, t.kind + ' ' + t.label));
      else box.appendChild(el('div', { cls: 'muted', text: t.kind + ' ' + t.label + (t.drawn ? '' : ' not drawn' + (t.reason ? ': ' + t.reason : '')) }));
    });
    box.appendChild(pictures);
    return box;
  }
})();
`;
