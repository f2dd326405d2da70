import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { planUiAnnotations } from '../../../src/report/annotations.js';
import { uiSection } from '../../../src/report/format.js';
import { junitXml } from '../../../src/report/junit.js';
import { buildMatrix, matrixText } from '../../../src/report/matrix.js';
import { resultFileOf } from '../../../src/report/result-file.js';
import { parseResultFile, resultFileText } from '../../../src/result-file/format.js';
import type { UiReport } from '../../../src/ui-check/ui-report.js';
import { outcomeOf } from '../../helpers/results.js';

function ui(extra: Partial<UiReport> = {}): UiReport {
  return {
    failOnErrors: true,
    failOnNoWindow: false,
    blenderVersion: '5.2.2',
    gl: 'llvmpipe (LLVM 22.1.8, 256 bits), OpenGL 4.6 (Core Profile) Mesa 26.2.6',
    targets: [
      {
        id: 'MY_PT_side',
        kind: 'panel',
        label: 'Side (MY_PT_side)',
        file: 'my_addon/ui.py',
        line: 10,
        drawn: true,
        reason: undefined,
        tried: 'VIEW_3D › UI',
        image: '/r/MY_PT_side.png',
      },
      {
        id: 'MY_MT_menu',
        kind: 'menu',
        label: 'MY_MT_menu',
        file: 'my_addon/ui.py',
        line: 30,
        drawn: true,
        reason: undefined,
        tried: 'VIEW_3D › WINDOW',
        image: '/r/MY_MT_menu.png',
      },
      {
        id: 'MY_PT_edit',
        kind: 'panel',
        label: 'Edit (MY_PT_edit)',
        file: 'my_addon/ui.py',
        line: 50,
        drawn: false,
        reason: 'its poll() was false',
        tried: 'VIEW_3D › UI',
        image: undefined,
      },
    ],
    errors: [
      {
        target: 'MY_PT_side',
        label: 'Side (MY_PT_side)',
        kind: 'raised',
        message: 'TypeError: UILayout.label(): enum "HAIR" not found in (…)',
        file: 'my_addon/ui.py',
        line: 14,
        traceback: 'Traceback …\nTypeError: …',
        cycles: [0],
      },
    ],
    problem: undefined,
    resultsDir: '/r',
    reloadCycles: 0,
    passMs: 2900,
    logPath: '/logs/ui.log',
    ...extra,
  };
}

const parse = (xml: string) =>
  new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml).testsuites.testsuite as {
    name: string;
    testcase: unknown;
    'system-out'?: string;
  }[];

describe("the add-on's UI in every report", () => {
  it('JUnit: a case per class drawn, failed with its draw errors on its line; not drawn is skipped with why', () => {
    const suite = parse(junitXml(outcomeOf([], { ui: ui(), ok: false }))).find((s) => s.name === "The add-on's UI (Blender 5.2.2)")!;
    const cases = ([] as { name: string; file?: string; line?: string; failure?: { message: string }; skipped?: { message: string } }[]).concat(
      suite.testcase as never,
    );
    expect(cases.map((c) => [c.name, c.file, c.line, c.failure?.message, c.skipped?.message])).toEqual([
      ['Side (MY_PT_side)', 'my_addon/ui.py', '10', 'TypeError: UILayout.label(): enum "HAIR" not found in (…)', undefined],
      ['MY_MT_menu', 'my_addon/ui.py', '30', undefined, undefined],
      ['Edit (MY_PT_edit)', 'my_addon/ui.py', '50', undefined, 'not drawn: its poll() was false'],
    ]);
  });

  it('JUnit with ui-check: warn: nothing failed, the errors in the suite’s output', () => {
    const suite = parse(junitXml(outcomeOf([], { ui: ui({ failOnErrors: false }) }))).find((s) => s.name.startsWith("The add-on's UI"))!;
    expect(JSON.stringify(suite.testcase)).not.toContain('failure');
    expect(suite['system-out']).toMatch(/^ui-check: warn; the add-on's UI failed to draw:\nmy_addon\/ui\.py:14: Side \(MY_PT_side\): TypeError/);
  });

  it('the result file keeps it and reads it back; mode: report shows "N draw errors" and where it fails from', () => {
    const on = (version: string, report: UiReport) => {
      const file = resultFileOf(outcomeOf([], { blenderVersion: version, ui: report }), {
        addonInput: './my_addon',
        toolVersion: '0.1.0',
        finishedAt: new Date(0),
      });
      const read = parseResultFile(resultFileText(file), `${version}.json`);
      if (typeof read === 'string') throw new Error(read);
      return read;
    };
    const clean = ui({ errors: [] });
    const files = [
      on('5.2.2', ui({ errors: [...ui().errors, { ...ui().errors[0]!, target: 'MY_MT_menu', label: 'MY_MT_menu', line: 33 }] })),
      on('3.4.1', clean),
      on('4.3.2', clean),
    ];
    expect(files[0]!.ui).toMatchObject({
      check: 'fail',
      drawn: 2,
      notDrawn: 1,
      errors: [expect.objectContaining({ target: 'MY_PT_side', line: 14, cycles: [0] }), expect.anything()],
    });
    const report = buildMatrix(files);
    const whole = report.rows.find((r) => r.id === "The add-on's UI")!;
    expect([whole.firstFailing, whole.cells.get('5.2.2')?.text, whole.cells.get('3.4.1')?.outcome]).toEqual(['5.2.2', '2 draw errors', 'passed']);
    expect(report.rows.find((r) => r.id === 'Side (MY_PT_side)')).toMatchObject({ kind: 'ui', firstFailing: '5.2.2' });
    expect(report.rows.find((r) => r.id === 'Edit (MY_PT_edit)')?.cells.get('4.3.2')).toMatchObject({
      outcome: 'not-run',
      message: 'not drawn: its poll() was false',
    });
    expect(matrixText(report)).toMatch(/The add-on's UI +✅ +✅ +2 draw errors +fails from 5\.2\.2/);
    expect(report.failingColumns).toEqual(['5.2.2']);
  });

  it('annotations: errors on their lines where they fail the run, warnings in warn mode, within the budgets', () => {
    expect(planUiAnnotations(ui(), { errors: 9, warnings: 10 })).toEqual({
      errors: [
        {
          title: "The add-on's UI failed to draw on Blender 5.2.2: Side (MY_PT_side)",
          message: 'TypeError: UILayout.label(): enum "HAIR" not found in (…)\n\nTraceback …\nTypeError: …',
          file: 'my_addon/ui.py',
          startLine: 14,
        },
      ],
      warnings: [],
    });
    expect(planUiAnnotations(ui({ failOnErrors: false }), { errors: 9, warnings: 10 }).warnings).toHaveLength(1);
    expect(planUiAnnotations(ui(), { errors: 0, warnings: 10 }).errors).toEqual([]);
  });

  it('the terminal and job log: the counts, each error, what was not drawn and why, where the pictures are', () => {
    const section = uiSection(ui())!;
    expect(section.mode).toBe('fail');
    expect(section.heading).toBe("The add-on's UI: 2 drawn, 1 not drawn, 1 draw error, 2.9s:");
    expect(section.lines).toEqual([
      '✗ my_addon/ui.py:14: Side (MY_PT_side): TypeError: UILayout.label(): enum "HAIR" not found in (…)',
      '    Traceback …',
      '    TypeError: …',
      '○ Edit (MY_PT_edit) not drawn: its poll() was false (tried: VIEW_3D › UI)',
      'pictures of each panel and menu: /r',
      'drawn by llvmpipe (LLVM 22.1.8, 256 bits), OpenGL 4.6 (Core Profile) Mesa 26.2.6',
    ]);
    expect(uiSection(ui({ failOnErrors: false }))!.mode).toBe('warn');
    expect(uiSection(undefined)).toBeUndefined();
  });
});
