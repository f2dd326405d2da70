import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { coberturaXml, lcov } from '../../../src/coverage/formats.js';
import { formatPercent, fromCoveragePy, summarize } from '../../../src/coverage/model.js';
import { coverageTableText, lineRanges } from '../../../src/coverage/table.js';

// coverage.py's JSON for two files of the staged copy (as coverage 6.5 and 7.x write it).
const JSON_REPORT = {
  files: {
    '/run/profile/scripts/addons/my_addon/__init__.py': {
      executed_lines: [1, 2, 4, 5],
      missing_lines: [6],
      executed_branches: [[4, 5]] as [number, number][],
      missing_branches: [[4, 6]] as [number, number][],
    },
    '/run/profile/scripts/addons/my_addon/ops/export.py': {
      executed_lines: [1],
      missing_lines: [2, 3, 4, 7],
      executed_branches: [] as [number, number][],
      missing_branches: [[3, -1]] as [number, number][],
    },
  },
};
const name = (file: string) => file.replace('/run/profile/scripts/addons/', 'src/');
const files = fromCoveragePy(JSON_REPORT, name);

describe('coverage reports', () => {
  it('the summary: line percentage over every file, per file lowest first with missing lines', () => {
    const summary = summarize(files, 'coverage.xml');
    expect(summary).toMatchObject({ lines: { covered: 5, total: 10 }, branches: { covered: 1, total: 3 }, percent: 50 });
    expect(summary.files.map((f) => [f.file, f.percent, f.missing])).toEqual([
      ['src/my_addon/ops/export.py', 20, [2, 3, 4, 7]],
      ['src/my_addon/__init__.py', 80, [6]],
    ]);
    expect(coverageTableText(summary)).toEqual(['src/my_addon/ops/export.py     20%        1/5  missing 2-4, 7', 'src/my_addon/__init__.py       80%        4/5  missing 6']);
    expect(formatPercent(99.99)).toBe('99.9%');
    expect(lineRanges([1, 2, 3, 5, 7, 8])).toBe('1-3, 5, 7-8');
  });

  it('Cobertura: a package per folder, a class per file under the repository path, branch lines with their condition coverage', () => {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['package', 'class', 'line'].includes(n) }).parse(coberturaXml(files, '/work/repo', 0));
    expect(doc.coverage).toMatchObject({ 'lines-valid': '10', 'lines-covered': '5', 'line-rate': '0.5000', 'branches-valid': '3', 'branches-covered': '1', sources: { source: '/work/repo' } });
    const packages = doc.coverage.packages.package;
    expect(packages.map((p: { name: string }) => p.name)).toEqual(['src.my_addon', 'src.my_addon.ops']);
    const init = packages[0].classes.class[0];
    expect(init).toMatchObject({ name: '__init__.py', filename: 'src/my_addon/__init__.py', 'line-rate': '0.8000', 'branch-rate': '0.5000' });
    expect(init.lines.line.find((l: { number: string }) => l.number === '4')).toEqual({ number: '4', hits: '1', branch: 'true', 'condition-coverage': '50% (1/2)', 'missing-branches': '6' });
    expect(init.lines.line.find((l: { number: string }) => l.number === '6')).toEqual({ number: '6', hits: '0' });
    const exportLine = packages[1].classes.class[0].lines.line.find((l: { number: string }) => l.number === '3');
    expect(exportLine).toMatchObject({ hits: '0', 'condition-coverage': '0% (0/1)', 'missing-branches': 'exit' });
  });

  it('LCOV: a record per file, DA per line, BRDA per branch (- where the line never ran)', () => {
    expect(lcov(files)).toBe(
      [
        'TN:',
        'SF:src/my_addon/__init__.py',
        'BRDA:4,0,0,1',
        'BRDA:4,0,1,0',
        'DA:1,1',
        'DA:2,1',
        'DA:4,1',
        'DA:5,1',
        'DA:6,0',
        'BRF:2',
        'BRH:1',
        'LF:5',
        'LH:4',
        'end_of_record',
        'TN:',
        'SF:src/my_addon/ops/export.py',
        'BRDA:3,0,0,-',
        'DA:1,1',
        'DA:2,0',
        'DA:3,0',
        'DA:4,0',
        'DA:7,0',
        'BRF:1',
        'BRH:0',
        'LF:5',
        'LH:1',
        'end_of_record',
        '',
      ].join('\n'),
    );
  });
});

describe('coverage from several test workers', () => {
  it('a line ran if it ran in any Blender; a branch was taken if any took it', async () => {
    const { mergeCoverage } = await import('../../../src/coverage/model.js');
    const first = fromCoveragePy({ files: { '/a/x.py': { executed_lines: [1, 2], missing_lines: [3, 4], executed_branches: [[2, 3]], missing_branches: [[2, 4]] } } }, (f) => f);
    const second = fromCoveragePy({ files: { '/a/x.py': { executed_lines: [1, 4], missing_lines: [2, 3], executed_branches: [], missing_branches: [[2, 3], [2, 4]] } } }, (f) => f);
    const [merged] = mergeCoverage([first, second]);
    expect([...merged!.lines]).toEqual([[1, true], [2, true], [3, false], [4, true]]);
    expect(merged!.branches.get(2)).toEqual({ taken: [3], missing: [4] });
  });
});
