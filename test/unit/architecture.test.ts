import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Every .ts file under `dir`, relative to `base`. */
function tsFiles(dir: string, base: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.relative(base, path.join(dir, f)).split(path.sep).join('/'));
}

/** The src/ modules the unit tests import (each test's own imports, not what those import). */
function importedByUnitTests(): Set<string> {
  const unit = path.join(ROOT, 'test', 'unit');
  const imported = new Set<string>();
  for (const test of tsFiles(unit, unit)) {
    const file = path.join(unit, test);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const target = path
        .relative(path.join(ROOT, 'src'), path.resolve(path.dirname(file), spec!))
        .split(path.sep)
        .join('/');
      if (!target.startsWith('..')) imported.add(target.replace(/\.js$/, '.ts'));
    }
  }
  return imported;
}

/** The modules docs/architecture.md names under "Covered by integration tests only". */
function namedAsIntegrationOnly(): Set<string> {
  const doc = readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf8');
  const section = doc.split('## Covered by integration tests only')[1]!.split('\n## ')[0]!;
  const intro = section.indexOf('\n- ');
  return new Set([...section.slice(intro).matchAll(/`([\w./-]+\.ts)`/g)].map((m) => m[1]!));
}

describe('the tests mirror src/', () => {
  const modules = tsFiles(path.join(ROOT, 'src'), path.join(ROOT, 'src'));
  const tested = importedByUnitTests();
  const named = namedAsIntegrationOnly();

  it('every module has a unit test that imports it, or is named in docs/architecture.md as covered by integration tests only', () => {
    expect(modules.filter((m) => !tested.has(m) && !named.has(m))).toEqual([]);
  });

  it('docs/architecture.md names only modules that exist and have no unit test of their own', () => {
    expect([...named].filter((m) => !modules.includes(m))).toEqual([]);
    expect([...named].filter((m) => tested.has(m))).toEqual([]);
  });

  it('no unit test sits at the top of test/unit for a module that lives in a folder', () => {
    const top = tsFiles(path.join(ROOT, 'test', 'unit'), path.join(ROOT, 'test', 'unit')).filter((f) => !f.includes('/'));
    const inFolders = new Set(modules.filter((m) => m.includes('/')).map((m) => path.basename(m)));
    expect(top.filter((t) => inFolders.has(t.replace(/\.test\.ts$/, '.ts')))).toEqual([]);
  });
});
