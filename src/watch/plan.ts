import path from 'node:path';
import { SKIPPED } from '../addon/files.js';

/** What the watch looks at: the add-on's source, the test files and the probe files (absolute paths). */
export interface WatchTargets {
  /** the add-on's folder, or its single .py file */
  addon: string;
  tests: string[];
  probes: string[];
}

/** One run of the watch: what to reload and run, and why (one line). */
export interface WatchRun {
  reload: boolean;
  tests: string[];
  probes: string[];
  why: string;
}

/** Editors' temporary and backup files: saving through them is not a change of the add-on. */
const EDITOR_NOISE = /(^\.#|^#.*#$|~$|\.sw[a-p]$|^4913$|\.tmp$|\.orig$)/;

/** What a changed file is to the watch: the add-on's, a test's (or a helper beside tests), a probe file, or nothing. */
export function classifyChange(file: string, targets: WatchTargets): 'addon' | 'test' | 'probe' | undefined {
  const name = path.basename(file);
  if (EDITOR_NOISE.test(name) || file.split(path.sep).some((part) => SKIPPED.has(part))) return undefined;
  if (targets.tests.includes(file)) return 'test';
  if (targets.probes.includes(file)) return 'probe';
  if (file === targets.addon || file.startsWith(targets.addon + path.sep)) return 'addon';
  // A helper beside the tests (a conftest.py, a utils.py they import) is the tests'.
  if (name.endsWith('.py') && targets.tests.some((test) => path.dirname(test) === path.dirname(file))) return 'test';
  return undefined;
}

/**
 * What a burst of saves runs: a change to the add-on reloads it and runs every test and probe
 * file; a changed test file runs alone (a helper beside tests: the tests of its folder); a
 * changed probe file runs alone. Undefined when nothing the watch looks at changed.
 */
export function planChanges(
  changed: string[],
  targets: WatchTargets,
  shown: (file: string) => string,
  exists: (file: string) => boolean = () => true,
): WatchRun | undefined {
  const kinds = changed.map((file) => ({ file, kind: classifyChange(file, targets) })).filter((c) => c.kind !== undefined);
  if (kinds.length === 0) return undefined;
  // Named: the files there now (an editor's temporary file came and went); all of them if none is.
  const there = kinds.filter((c) => exists(c.file));
  const names = [...new Set((there.length > 0 ? there : kinds).map((c) => shown(c.file)))];
  const why = `${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''} changed`;
  if (kinds.some((c) => c.kind === 'addon')) return { reload: true, tests: targets.tests, probes: targets.probes, why };
  const tests = new Set<string>();
  for (const { file } of kinds.filter((c) => c.kind === 'test')) {
    if (targets.tests.includes(file)) tests.add(file);
    else for (const test of targets.tests.filter((t) => path.dirname(t) === path.dirname(file))) tests.add(test);
  }
  const probes = kinds.filter((c) => c.kind === 'probe').map((c) => c.file);
  return { reload: false, tests: targets.tests.filter((t) => tests.has(t)), probes: targets.probes.filter((p) => probes.includes(p)), why };
}

/** `a`: everything again; `f`: only the files that failed last time (undefined: nothing failed). */
export function planKey(key: 'all' | 'failed', targets: WatchTargets, failed: ReadonlySet<string>): WatchRun | undefined {
  if (key === 'all') return { reload: false, tests: targets.tests, probes: targets.probes, why: 'a: everything' };
  const tests = targets.tests.filter((t) => failed.has(t));
  const probes = targets.probes.filter((p) => failed.has(p));
  return tests.length + probes.length === 0 ? undefined : { reload: false, tests, probes, why: 'f: what failed' };
}
