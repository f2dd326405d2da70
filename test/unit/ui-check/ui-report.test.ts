import { describe, expect, it } from 'vitest';
import { userPaths } from '../../../src/addon/source-map.js';
import { parseUiEvents } from '../../../src/ui-check/ui-events.js';
import { type UiReportContext, describeUiError, nothingToDraw, uiCountsLine, uiProblems, uiReportOf } from '../../../src/ui-check/ui-report.js';

const STAGED = '/run/profile/scripts/addons/my_addon';
const paths = userPaths([{ path: STAGED, source: { root: '/work/my_addon', archive: undefined, shownAs: 'my_addon' } as never }], '/work');

const target = (id: string, kind: string, line: number, extra: Record<string, unknown> = {}) => ({
  id,
  kind,
  label: id.includes('PT') ? 'My panel' : id,
  space: 'VIEW_3D',
  region: 'UI',
  context: null,
  category: 'Mine',
  parent: null,
  host: null,
  file: `${STAGED}/__init__.py`,
  line,
  ...extra,
});
const PANEL = target('MY_PT_panel', 'panel', 10);
const MENU = target('MY_MT_menu', 'menu', 30);
const HIDDEN = target('MY_PT_hidden', 'panel', 50);

function lines(events: object[]): string {
  return events.map((e) => JSON.stringify(e)).join('\n');
}

const window = {
  event: 'window',
  blender: '4.3.2',
  gl: { vendor: 'Mesa', renderer: 'llvmpipe (LLVM 19.1.7, 256 bits)', version: '4.5 (Core Profile) Mesa 25.0.7' },
  ms: 900,
};
const inventory = (cycle: number) => ({ event: 'inventory', cycle, targets: [PANEL, MENU, HIDDEN] });
const iconError = (cycle: number) => ({
  event: 'error',
  target: 'MY_PT_panel',
  cycle,
  kind: 'raised',
  message: 'TypeError: UILayout.label(): enum "HAIR" not found in (\'NONE\', …)',
  file: `${STAGED}/__init__.py`,
  line: 14,
  function: 'draw',
  traceback: `Traceback (most recent call last):\n  File "${STAGED}/__init__.py", line 14, in draw\nTypeError: …`,
});
const drawn = (draw: string, cycle: number) => ({ event: 'drawn', draw, targets: [draw], cycle, ms: 2, image: null, baseline: null, crop: null });
const record = (t: object, cycle: number, drawnNow: boolean, reason: string | null = null) => ({
  event: 'target',
  target: t,
  cycle,
  drawn: drawnNow,
  calls: drawnNow ? 1 : 0,
  reason,
  tried: "VIEW_3D › UI; Object mode, active mesh 'Cube'",
});

const context = (extra: Partial<UiReportContext> = {}): UiReportContext => ({
  paths,
  failOnErrors: true,
  failOnNoWindow: false,
  reloadCycles: 0,
  logPath: '/logs/ui.log',
  images: new Map(),
  resultsDir: '/results',
  ...extra,
});

describe('uiReportOf', () => {
  const full = parseUiEvents(
    lines([
      window,
      inventory(0),
      drawn('MY_PT_panel', 0),
      iconError(0),
      drawn('MY_MT_menu', 0),
      record(PANEL, 0, true),
      record(MENU, 0, true),
      record(HIDDEN, 0, false, 'its poll() was false'),
      inventory(1),
      iconError(1),
      record(PANEL, 1, true),
      record(MENU, 1, true),
      record(HIDDEN, 1, false, 'its poll() was false'),
    ]),
  );

  it("every error once, on the user's file, with the passes it happened in", () => {
    const report = uiReportOf(full, context({ reloadCycles: 1 }));
    expect(report.errors).toEqual([
      expect.objectContaining({ target: 'MY_PT_panel', label: 'My panel (MY_PT_panel)', file: 'my_addon/__init__.py', line: 14, cycles: [0, 1] }),
    ]);
    expect(report.errors[0]!.traceback).toContain('File "my_addon/__init__.py", line 14');
    expect(report.targets.map((t) => [t.id, t.drawn, t.reason])).toEqual([
      ['MY_PT_panel', true, undefined],
      ['MY_MT_menu', true, undefined],
      ['MY_PT_hidden', false, 'its poll() was false'],
    ]);
    expect(report.gl).toBe('llvmpipe (LLVM 19.1.7, 256 bits), OpenGL 4.5 (Core Profile) Mesa 25.0.7');
    expect(uiCountsLine(report)).toMatch(/^The add-on's UI: 2 drawn, 1 not drawn, 1 draw error \(and drawn again in 1 reload cycle\)$/);
  });

  it('a draw error fails the run in auto and fail, with its file, line and Blender; warn lists it only', () => {
    expect(uiProblems(uiReportOf(full, context()))).toEqual([
      "The add-on's UI failed to draw: one error on Blender 4.3.2; my_addon/__init__.py:14: My panel (MY_PT_panel): TypeError: UILayout.label(): enum \"HAIR\" not found in ('NONE', …).",
    ]);
    expect(uiProblems(uiReportOf(full, context({ failOnErrors: false })))).toEqual([]);
  });

  it('an error only a reload cycle drew says so', () => {
    const report = uiReportOf(parseUiEvents(lines([window, inventory(0), record(PANEL, 0, true), inventory(1), iconError(1)])), context({ reloadCycles: 2 }));
    expect(describeUiError(report.errors[0]!, 2)).toMatch(/\(reload 1\/2 only\)$/);
  });

  it('a draw that hung is named at its class, and what was not reached is listed as such', () => {
    const events = parseUiEvents(lines([window, inventory(0), { event: 'drawing', draw: 'MY_PT_panel', targets: ['MY_PT_panel'], cycle: 0 }]));
    const report = uiReportOf(events, context({ hang: { draw: 'MY_PT_panel', targets: ['MY_PT_panel'], limitMs: 30_000 } }));
    expect(report.errors).toEqual([
      expect.objectContaining({
        kind: 'hang',
        file: 'my_addon/__init__.py',
        line: 10,
        message: 'drawing it did not return within 30s (probe-timeout); Blender was stopped',
      }),
    ]);
    expect(report.targets.find((t) => t.id === 'MY_PT_panel')?.drawn).toBe(true);
    expect(report.targets.find((t) => t.id === 'MY_MT_menu')).toMatchObject({ drawn: false, reason: 'not reached: Blender was stopped after a draw hung' });
  });

  it('Blender dying during a draw names the class and its crash report', () => {
    const events = parseUiEvents(lines([window, inventory(0), { event: 'drawing', draw: 'MY_MT_menu', targets: ['MY_MT_menu'], cycle: 0 }]));
    const report = uiReportOf(
      events,
      context({ died: { how: 'was killed by SIGSEGV', draw: 'MY_MT_menu', targets: ['MY_MT_menu'], crashReport: '/logs/x-ui.crash.txt' } }),
    );
    expect(uiProblems(report)).toEqual([
      "The add-on's UI failed to draw: one error on Blender 4.3.2; my_addon/__init__.py:30: MY_MT_menu: Blender was killed by SIGSEGV while drawing it (its crash report: /logs/x-ui.crash.txt).",
    ]);
  });

  it('a window that could not open fails the run only when ui-check is fail; a skipped pass never does', () => {
    const problem = { kind: 'window' as const, message: 'Blender exited with code 1 before its window opened: it could not load libGL.so.1' };
    expect(uiProblems(uiReportOf([], context({ problem })))).toEqual([]);
    expect(uiProblems(uiReportOf([], context({ problem, failOnNoWindow: true })))).toEqual([`The add-on's UI was not drawn: ${problem.message}.`]);
    expect(
      uiProblems(uiReportOf([], context({ problem: { kind: 'not-run', message: 'the add-on never became ready in the session' }, failOnNoWindow: true }))),
    ).toEqual([]);
  });

  it('the add-on not enabling with a window, or ui-setup raising, fails as a draw error does', () => {
    const events = parseUiEvents(lines([window, { event: 'problem', message: `ui-setup raised NameError: name 'bpyy' is not defined`, traceback: 'x' }]));
    expect(uiProblems(uiReportOf(events, context()))).toEqual([
      "The add-on's UI was not drawn: ui-setup raised NameError: name 'bpyy' is not defined (the traceback is in the UI check's log: /logs/ui.log).",
    ]);
    expect(uiProblems(uiReportOf(events, context({ failOnErrors: false })))).toEqual([]);
  });

  it('an add-on that draws nothing: said, never failed', () => {
    const report = nothingToDraw({ failOnErrors: true, failOnNoWindow: true }, 0);
    expect(uiProblems(report)).toEqual([]);
    expect(uiCountsLine(report)).toMatch(/^The add-on's UI: nothing to draw/);
  });
});
