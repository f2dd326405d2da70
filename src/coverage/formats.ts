import { type FileCoverage, percentOf } from './model.js';

/**
 * Cobertura XML (what Codecov, Coveralls and GitLab read), as coverage.py writes it: a package
 * per folder, a class per file, a line per executable line (hits 0 or 1, branch lines with
 * their condition coverage). `sources` is the folder the file names are relative to.
 */
export function coberturaXml(files: FileCoverage[], sources: string, timestamp = Date.now()): string {
  const totals = totalsOf(files);
  const packages = new Map<string, FileCoverage[]>();
  for (const file of files) {
    const folder = file.file.includes('/') ? file.file.slice(0, file.file.lastIndexOf('/')) : '.';
    packages.set(folder, [...(packages.get(folder) ?? []), file]);
  }
  const out = [
    '<?xml version="1.0" ?>',
    `<coverage version="blender-bg-action" timestamp="${timestamp}" lines-valid="${totals.lines.total}" lines-covered="${totals.lines.covered}" line-rate="${rate(totals.lines)}" branches-valid="${totals.branches.total}" branches-covered="${totals.branches.covered}" branch-rate="${rate(totals.branches)}" complexity="0">`,
    '\t<sources>',
    `\t\t<source>${escape(sources)}</source>`,
    '\t</sources>',
    '\t<packages>',
  ];
  for (const [folder, inFolder] of packages) {
    const t = totalsOf(inFolder);
    out.push(`\t\t<package name="${escape(folder.replace(/\//g, '.'))}" line-rate="${rate(t.lines)}" branch-rate="${rate(t.branches)}" complexity="0">`, '\t\t\t<classes>');
    for (const file of inFolder) {
      const f = totalsOf([file]);
      const name = file.file.slice(file.file.lastIndexOf('/') + 1);
      out.push(`\t\t\t\t<class name="${escape(name)}" filename="${escape(file.file)}" complexity="0" line-rate="${rate(f.lines)}" branch-rate="${rate(f.branches)}">`, '\t\t\t\t\t<methods/>', '\t\t\t\t\t<lines>');
      for (const [line, hit] of file.lines) {
        const branch = file.branches.get(line);
        const total = branch ? branch.taken.length + branch.missing.length : 0;
        const condition = branch
          ? ` branch="true" condition-coverage="${Math.round(percentOf(branch.taken.length, total))}% (${branch.taken.length}/${total})"${branch.missing.length > 0 ? ` missing-branches="${branch.missing.map(exitName).join(',')}"` : ''}`
          : '';
        out.push(`\t\t\t\t\t\t<line number="${line}" hits="${hit ? 1 : 0}"${condition}/>`);
      }
      out.push('\t\t\t\t\t</lines>', '\t\t\t\t</class>');
    }
    out.push('\t\t\t</classes>', '\t\t</package>');
  }
  out.push('\t</packages>', '</coverage>', '');
  return out.join('\n');
}

/** LCOV (what genhtml and many services read): a record per file, lines and branches. */
export function lcov(files: FileCoverage[]): string {
  const out: string[] = [];
  for (const file of files) {
    out.push('TN:', `SF:${file.file}`);
    let branchesFound = 0;
    let branchesHit = 0;
    for (const [line, branch] of file.branches) {
      const lineRan = file.lines.get(line) === true;
      // Each branch of a line as one BRDA: those taken first, then the rest ("-": the line never ran).
      const total = branch.taken.length + branch.missing.length;
      for (let index = 0; index < total; index++) {
        const taken = index < branch.taken.length ? '1' : lineRan ? '0' : '-';
        out.push(`BRDA:${line},0,${index},${taken}`);
      }
      branchesFound += total;
      branchesHit += branch.taken.length;
    }
    for (const [line, hit] of file.lines) out.push(`DA:${line},${hit ? 1 : 0}`);
    out.push(`BRF:${branchesFound}`, `BRH:${branchesHit}`, `LF:${file.lines.size}`, `LH:${[...file.lines.values()].filter(Boolean).length}`, 'end_of_record');
  }
  return `${out.join('\n')}\n`;
}

/** coverage.py names an exit from the code object as a negative line. */
function exitName(to: number): string {
  return to < 0 ? 'exit' : String(to);
}

function totalsOf(files: FileCoverage[]) {
  let lines = { covered: 0, total: 0 };
  let branches = { covered: 0, total: 0 };
  for (const file of files) {
    lines = { covered: lines.covered + [...file.lines.values()].filter(Boolean).length, total: lines.total + file.lines.size };
    for (const b of file.branches.values()) branches = { covered: branches.covered + b.taken.length, total: branches.total + b.taken.length + b.missing.length };
  }
  return { lines, branches };
}

function rate({ covered, total }: { covered: number; total: number }): string {
  return (percentOf(covered, total) / 100).toFixed(4);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
