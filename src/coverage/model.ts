/**
 * Coverage of the add-on's own files, as coverage.py measured it (its JSON report), with each
 * file named as the user's repository names it. What the reports (Cobertura, LCOV, the
 * tables) are made from.
 */
export interface FileCoverage {
  /** the user's file, workspace-relative (or "x.zip › a.py") */
  file: string;
  /** executable lines, each hit (true) or not */
  lines: Map<number, boolean>;
  /** per line with branches: where the branches that ran go, and where the rest would (a negative line: an exit) */
  branches: Map<number, { taken: number[]; missing: number[] }>;
}

export interface CoverageSummary {
  /** covered lines / executable lines over every file, in percent (the `coverage` output) */
  percent: number;
  lines: { covered: number; total: number };
  branches: { covered: number; total: number };
  /** per file, lowest line coverage first */
  files: { file: string; percent: number; covered: number; total: number; missing: number[] }[];
  /** where the report was written */
  path: string | undefined;
}

/** coverage.py's JSON report (the parts read here). */
export interface CoveragePyJson {
  files: Record<
    string,
    {
      executed_lines: number[];
      missing_lines: number[];
      executed_branches?: [number, number][];
      missing_branches?: [number, number][];
    }
  >;
}

/** The JSON report's files, named by `name` (the staged copy's path → the user's), sorted by name. */
export function fromCoveragePy(json: CoveragePyJson, name: (file: string) => string): FileCoverage[] {
  const files = Object.entries(json.files).map(([file, data]) => {
    const lines = new Map<number, boolean>();
    for (const line of data.executed_lines) lines.set(line, true);
    for (const line of data.missing_lines) lines.set(line, false);
    const branches = new Map<number, { taken: number[]; missing: number[] }>();
    const at = (line: number) => branches.get(line) ?? branches.set(line, { taken: [], missing: [] }).get(line)!;
    for (const [from, to] of data.executed_branches ?? []) at(from).taken.push(to);
    for (const [from, to] of data.missing_branches ?? []) at(from).missing.push(to);
    return { file: name(file), lines: new Map([...lines].sort(([a], [b]) => a - b)), branches: new Map([...branches].sort(([a], [b]) => a - b)) };
  });
  return files.sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * The same files measured in several Blenders (test workers), as one: a line ran if it ran in
 * any of them, a branch was taken if any took it.
 */
export function mergeCoverage(measured: FileCoverage[][]): FileCoverage[] {
  const byFile = new Map<string, FileCoverage>();
  for (const file of measured.flat()) {
    const seen = byFile.get(file.file);
    if (!seen) {
      byFile.set(file.file, { file: file.file, lines: new Map(file.lines), branches: new Map([...file.branches].map(([line, b]) => [line, { taken: [...b.taken], missing: [...b.missing] }])) });
      continue;
    }
    for (const [line, hit] of file.lines) seen.lines.set(line, hit || seen.lines.get(line) === true);
    for (const [line, branch] of file.branches) {
      const into = seen.branches.get(line) ?? { taken: [], missing: [] };
      const taken = [...new Set([...into.taken, ...branch.taken])];
      into.taken = taken;
      into.missing = [...new Set([...into.missing, ...branch.missing])].filter((to) => !taken.includes(to));
      seen.branches.set(line, into);
    }
  }
  return [...byFile.values()].sort((a, b) => a.file.localeCompare(b.file));
}

export function summarize(files: FileCoverage[], path: string | undefined): CoverageSummary {
  const count = (file: FileCoverage) => ({ covered: [...file.lines.values()].filter(Boolean).length, total: file.lines.size });
  const perFile = files.map((file) => {
    const { covered, total } = count(file);
    return { file: file.file, percent: percentOf(covered, total), covered, total, missing: [...file.lines].filter(([, hit]) => !hit).map(([line]) => line) };
  });
  const lines = perFile.reduce((sum, f) => ({ covered: sum.covered + f.covered, total: sum.total + f.total }), { covered: 0, total: 0 });
  const branches = files
    .flatMap((f) => [...f.branches.values()])
    .reduce((sum, b) => ({ covered: sum.covered + b.taken.length, total: sum.total + b.taken.length + b.missing.length }), { covered: 0, total: 0 });
  return {
    percent: percentOf(lines.covered, lines.total),
    lines,
    branches,
    files: perFile.sort((a, b) => a.percent - b.percent || a.file.localeCompare(b.file)),
    path,
  };
}

/** 100 for nothing to cover (as coverage.py reports an empty file). */
export function percentOf(covered: number, total: number): number {
  return total === 0 ? 100 : (100 * covered) / total;
}

/** "87.5%" with one decimal at most, never rounded up to 100. */
export function formatPercent(percent: number): string {
  const floored = Math.floor(percent * 10) / 10;
  return `${Number.isInteger(floored) ? floored.toFixed(0) : floored.toFixed(1)}%`;
}
