import { type CoverageSummary, formatPercent } from './model.js';

/** "Coverage: 83.3% of 120 lines, 70% of 40 branches (coverage.xml)". */
export function coverageLine(summary: CoverageSummary): string {
  const branches = summary.branches.total > 0 ? `, ${formatPercent((100 * summary.branches.covered) / summary.branches.total)} of ${summary.branches.total} branches` : '';
  return `Coverage: ${formatPercent(summary.percent)} of ${summary.lines.total} lines${branches}${summary.path ? ` (${summary.path})` : ''}`;
}

/** Missing lines as ranges: "3-5, 9, 12-14". */
export function lineRanges(lines: number[]): string {
  const ranges: string[] = [];
  let start: number | undefined;
  let previous: number | undefined;
  for (const line of [...lines, Number.NaN]) {
    if (previous !== undefined && line === previous + 1) {
      previous = line;
      continue;
    }
    if (start !== undefined) ranges.push(start === previous ? String(start) : `${start}-${previous}`);
    start = line;
    previous = line;
  }
  return ranges.join(', ');
}

/** The per-file table as text, lowest coverage first: file, percent, lines covered, missing. */
export function coverageTableText(summary: CoverageSummary): string[] {
  const width = Math.min(Math.max(4, ...summary.files.map((f) => f.file.length)), 60);
  return summary.files.map((f) => `${f.file.padEnd(width)}  ${formatPercent(f.percent).padStart(6)}  ${`${f.covered}/${f.total}`.padStart(9)}  ${f.missing.length > 0 ? `missing ${lineRanges(f.missing)}` : ''}`.trimEnd());
}
