import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { matrixJUnitXml } from '../../../src/report/junit.js';
import { buildMatrix, matrixText } from '../../../src/report/matrix.js';
import { resultFileOf } from '../../../src/report/result-file.js';
import { type ResultEntry, type ResultFile } from '../../../src/result-file/format.js';
import { outcomeOf, stepResult } from '../../helpers/results.js';

/** A result file for a run on `version` with these test outcomes. */
function resultOn(version: string, tests: Record<string, boolean>, extra: Partial<ResultFile> = {}): ResultFile {
  const results = Object.entries(tests).map(([id, passed]) => stepResult('tests/test_io.py', id, passed, 7, { kind: 'test' }));
  const file = resultFileOf(outcomeOf(results, { blenderVersion: version }), { addonInput: './my_addon', toolVersion: '0.1.0', finishedAt: new Date(0) });
  return { ...file, ...extra };
}

describe('buildMatrix: one table over the matrix', () => {
  const files = [
    resultOn('5.2.2', { 'test_io.py::Io::test_export': false, 'test_io.py::Io::test_import': true }),
    resultOn('3.4.1', { 'test_io.py::Io::test_export': true, 'test_io.py::Io::test_import': true, 'test_io.py::Io::test_legacy': true }),
    resultOn('4.3.2', { 'test_io.py::Io::test_export': true, 'test_io.py::Io::test_import': true }),
  ];

  it('columns oldest first; rows that differ first, each naming the first Blender it fails on; blank where a row did not exist', () => {
    const report = buildMatrix(files);
    expect(report.columns).toEqual(['3.4.1', '4.3.2', '5.2.2']);
    expect(report.rows.map((r) => [r.id, r.differs, r.firstFailing])).toEqual([
      ['test_io.py::Io::test_export', true, '5.2.2'],
      ['test_io.py::Io::test_legacy', true, undefined],
      ['Blender session', false, undefined],
      ['test_io.py::Io::test_import', false, undefined],
    ]);
    expect(report.rows[1]!.cells.get('4.3.2')).toBeUndefined();
    expect(report).toMatchObject({ failingColumns: ['5.2.2'], passed: 6, failed: 1 });
  });

  it('as text: a mark per Blender, the first failing version named, totals last', () => {
    const text = matrixText(buildMatrix(files));
    expect(text).toContain('test_io.py::Io::test_export  ✅     ✅     ❌     fails from 5.2.2');
    expect(text).toContain('test_io.py::Io::test_legacy  ✅     ·      ·      differs');
    expect(text.split('\n').at(-1)).toBe('6 passed, 1 failed over 3 Blenders; failing on 5.2.2');
  });

  it('a session that failed is a failed row with its sentence; a skipped run is skipped; deprecations per Blender', () => {
    const crashed = resultOn('4.3.2', {}, { verdict: { ok: false, cancelled: false, failure: 'Blender was killed by SIGSEGV before it was asked to stop.' } });
    crashed.session = { ...crashed.session, teardown: 'early', teardownSentence: 'Blender was killed by SIGSEGV' };
    const skipped = resultOn('4.1.1', {}, { verdict: { ok: true, cancelled: false, skipped: 'needs 4.2' } });
    const deprecated = resultOn('5.2.2', { 'test_io.py::Io::test_import': true });
    deprecated.deprecations = [
      { source: 'python', category: 'DeprecationWarning', message: 'utcnow() is deprecated', file: 'my_addon/ops.py', line: 12, count: 2 },
    ];
    const report = buildMatrix([crashed, skipped, deprecated]);
    const session = report.rows.find((r) => r.id === 'Blender session')!;
    expect(session.cells.get('4.3.2')).toEqual({ outcome: 'failed', message: 'Blender was killed by SIGSEGV' });
    expect(session.cells.get('4.1.1')?.outcome).toBe('skipped');
    expect(report.failingColumns).toEqual(['4.3.2']);
    expect(report.deprecations.get('5.2.2')).toEqual(['my_addon/ops.py:12: DeprecationWarning: utcnow() is deprecated']);
    expect(matrixText(report)).toContain('Deprecations:\n  Blender 5.2.2:\n    my_addon/ops.py:12: DeprecationWarning: utcnow() is deprecated');
  });

  it('two result files of one version (two OSes) are two columns', () => {
    const linux = resultOn('4.2.3', {});
    const windows = resultOn('4.2.3', {}, { os: { platform: 'win32', arch: 'x64', release: '10' } });
    expect(buildMatrix([linux, windows]).columns).toEqual([`4.2.3 (${process.platform} ${process.arch})`, '4.2.3 (win32 x64)']);
  });

  it('merged JUnit: a testsuite per Blender, each with that Blender’s rows', () => {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase'].includes(n) }).parse(
      matrixJUnitXml(buildMatrix(files), new Date(0)),
    );
    expect(doc.testsuites.testsuite.map((s: { name: string; tests: string; failures: string }) => [s.name, s.tests, s.failures])).toEqual([
      ['Blender 3.4.1', '4', '0'],
      ['Blender 4.3.2', '3', '0'],
      ['Blender 5.2.2', '3', '1'],
    ]);
  });
});

describe('result entries', () => {
  it('a not-run test keeps its id and says why', () => {
    const file = resultFileOf(outcomeOf([], { notRun: [{ file: 't/test_a.py', fileName: 'test_a.py', step: 'test_a.py::A::test_x', line: 3 }] }), {
      addonInput: 'a',
      toolVersion: '0',
    });
    expect(file.results).toEqual([
      {
        id: 'test_a.py::A::test_x',
        kind: 'not-run',
        file: 't/test_a.py',
        line: 3,
        outcome: 'not-run',
        durationMs: 0,
        message: 'not run: Blender had ended',
      } satisfies ResultEntry,
    ]);
  });
});
