import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { type AddonHealth, healthProblems } from '../../../src/addon-health/health.js';
import { planHealthAnnotations } from '../../../src/report/annotations.js';
import { healthSections } from '../../../src/report/format.js';
import { junitXml } from '../../../src/report/junit.js';
import { buildMatrix, matrixText } from '../../../src/report/matrix.js';
import { resultFileOf } from '../../../src/report/result-file.js';
import { parseResultFile, resultFileText } from '../../../src/result-file/format.js';
import { addonError, leftover } from '../../helpers/health.js';
import { outcomeOf, stepResult } from '../../helpers/results.js';

const MIB = 1024 * 1024;

function health(extra: Partial<AddonHealth> = {}): AddonHealth {
  return {
    errors: [addonError({ count: 2 })],
    errorsMode: 'fail',
    leftovers: [leftover(), leftover({ kind: 'port', name: 'port 127.0.0.1:7301', detail: 'still listening', line: 153, phase: 'reload 1/2' })],
    leftoversMode: 'fail',
    reloads: [
      {
        cycle: 1,
        of: 2,
        leftovers: [],
        problem: 'the add-on did not enable again: OSError: [Errno 98] Address already in use',
        reloadMs: 120,
        probes: { passed: 0, failed: 0 },
        usage: undefined,
      },
    ],
    memory: { atReadyBytes: 240 * MIB, afterWorkBytes: 250 * MIB, afterReloadBytes: [251 * MIB], peakBytes: 260 * MIB, cpuSeconds: 2.5 },
    maxMemoryGrowthBytes: 20 * MIB,
    checkTimings: undefined,
    ...extra,
  };
}

const outcome = (h: AddonHealth) => outcomeOf([stepResult('probes/a.json', 'ping', true)], { health: h, ok: false });
const cases = (xml: string) => {
  const suites = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml).testsuites.testsuite as {
    name: string;
    testcase: unknown;
    'system-out'?: string;
  }[];
  const suite = suites.find((s) => s.name === "The add-on's health")!;
  return { suite, list: ([] as { name: string; file?: string; line?: string; failure?: { message: string } }[]).concat(suite.testcase as never) };
};

describe("the add-on's health in every report", () => {
  it('JUnit: a failing case per error and per leftover on its file and line, one per reload cycle, the memory limit', () => {
    const { list } = cases(junitXml(outcome(health())));
    expect(list.map((c) => [c.name, c.file, c.line, c.failure?.message])).toEqual([
      [
        'bpy.app.timers function tick raised ZeroDivisionError: division by zero (2 times)',
        'sloppy/__init__.py',
        '47',
        'sloppy/__init__.py:47: bpy.app.timers function tick raised ZeroDivisionError: division by zero (2 times)',
      ],
      ['unregister() left load_post handler on_load (teardown)', 'sloppy/__init__.py', '39', 'load_post handler on_load, sloppy/__init__.py:39'],
      ['unregister() left port 127.0.0.1:7301 (reload 1/2)', 'sloppy/__init__.py', '153', 'port 127.0.0.1:7301 still listening, sloppy/__init__.py:153'],
      ['Reload 1/2: the add-on comes back', undefined, undefined, 'the add-on did not enable again: OSError: [Errno 98] Address already in use'],
      ["Blender's memory grows by at most 20 MiB over the reload cycles", undefined, undefined, undefined],
    ]);
  });

  it('JUnit in warn mode: passing cases, and what was found listed in the suite output', () => {
    const { suite, list } = cases(junitXml(outcome(health({ errorsMode: 'warn', leftoversMode: 'warn', reloads: [], maxMemoryGrowthBytes: undefined }))));
    expect(list.map((c) => [c.name, c.failure])).toEqual([
      ["The add-on's code raises nothing where no test or probe sees it", undefined],
      ['unregister() leaves Blender as it found it', undefined],
    ]);
    expect(suite['system-out']).toContain('sloppy/__init__.py:47: bpy.app.timers function tick raised ZeroDivisionError');
    expect(suite['system-out']).toContain('teardown: load_post handler on_load, sloppy/__init__.py:39');
  });

  it('annotations: errors where they fail the run, warnings where they only warn, within what the budgets leave', () => {
    const failing = planHealthAnnotations(health(), { errors: 9, warnings: 10 });
    expect(failing.errors.map((a) => [a.title, a.file, a.startLine])).toEqual([
      ["The add-on's code raised: bpy.app.timers function tick (2 times)", 'sloppy/__init__.py', 47],
      ['Left after unregister() (teardown): load_post handler on_load', 'sloppy/__init__.py', 39],
      ['Left after unregister() (reload 1/2): port 127.0.0.1:7301', 'sloppy/__init__.py', 153],
    ]);
    expect(failing.warnings).toEqual([]);
    const warned = planHealthAnnotations(health({ errorsMode: 'warn' }), { errors: 1, warnings: 2 });
    expect(warned.errors.map((a) => [a.title, a.message])).toEqual([
      [
        "2 more findings about the add-on's health",
        'Also: Left after unregister() (teardown): load_post handler on_load; Left after unregister() (reload 1/2): port 127.0.0.1:7301. The job summary lists them all.',
      ],
    ]);
    expect(warned.warnings.map((a) => a.title)).toEqual(["The add-on's code raised: bpy.app.timers function tick (2 times)"]);
    expect(planHealthAnnotations(health(), { errors: 2, warnings: 0 }).errors.map((a) => a.title)).toEqual([
      "The add-on's code raised: bpy.app.timers function tick (2 times)",
      "2 more findings about the add-on's health",
    ]);
  });

  it('the terminal and the job log: a section per finding kind, headed by whether it fails the run, then the memory', () => {
    expect(healthSections(health()).map((s) => [s.heading, s.mode, s.lines.length])).toEqual([
      ["The add-on's code raised (1, addon-errors: fail):", 'fail', 2],
      ['Left in Blender after unregister() (2, unregister-check: fail):', 'fail', 2],
      ["Blender's memory: 240 MiB at ready, 250 MiB after the tests and probes, 251 MiB over 1 reload (+1 MiB), peak 260 MiB; 2.5 s of CPU", 'info', 0],
    ]);
    expect(healthSections(undefined)).toEqual([]);
    const unowned = healthSections({
      ...health(),
      leftovers: [],
      unowned: [leftover({ kind: 'keymap', name: "keymap item poselib.apply (LEFTMOUSE DOUBLE_CLICK) in 'File Browser Main'" })],
    });
    expect(unowned.map((s) => [s.heading, s.mode])).toContainEqual([
      'Made while the add-on was enabled, not counted as its own: whose it is cannot be told (1):',
      'info',
    ]);
  });

  it('what cannot be told to be the add-on’s fails nothing, whatever unregister-check says', () => {
    const unowned = [leftover({ kind: 'keymap', name: 'keymap item poselib.apply' })];
    expect(healthProblems({ ...health(), errors: [], leftovers: [], reloads: [], unowned })).toEqual([]);
  });

  it('the result file keeps it all and reads it back; mode: report shows it per Blender, memory as a figure', () => {
    const file = resultFileOf(outcome(health()), { addonInput: './sloppy', toolVersion: '0.1.0', finishedAt: new Date(0) });
    const back = parseResultFile(resultFileText(file), 'r.json');
    expect(back).toMatchObject({
      health: { addonErrors: 'fail', unregisterCheck: 'fail' },
      addonErrors: [{ kind: 'timer', file: 'sloppy/__init__.py', line: 47, count: 2 }],
      leftovers: [
        { kind: 'handler', phase: 'teardown' },
        { kind: 'port', phase: 'reload 1/2' },
      ],
      reloads: [{ cycle: 1, of: 2, problem: expect.stringContaining('Address already in use') }],
      memory: { peakBytes: 260 * MIB, afterReloadBytes: [251 * MIB] },
    });
    const clean = resultFileOf(outcome(health({ errors: [], leftovers: [], reloads: [], memory: { ...health().memory!, peakBytes: 243.5 * MIB } })), {
      addonInput: './sloppy',
      toolVersion: '0.1.0',
    });
    const report = buildMatrix([
      { ...file, blender: { version: '4.3.2' } },
      { ...clean, blender: { version: '3.4.1' } },
    ]);
    const rows = Object.fromEntries(
      report.rows.filter((r) => r.kind === 'session').map((r) => [r.id, report.columns.map((c) => r.cells.get(c)?.text ?? r.cells.get(c)?.outcome)]),
    );
    expect(rows).toMatchObject({
      "The add-on's code raises nothing in the background": ['passed', 'failed'],
      'unregister() leaves Blender as it found it': ['passed', 'failed'],
      'Reload check (2 cycles)': [undefined, 'failed'],
      "Blender's peak memory": ['243.5 MiB', '260 MiB'],
    });
    expect(matrixText(report)).toMatch(/Blender's peak memory\s+243\.5 MiB\s+260 MiB/);
  });
});
