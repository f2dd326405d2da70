import { readFileSync } from 'node:fs';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const read = (file: string) => readFileSync(`${root}/${file}`, 'utf8');
const pkg = JSON.parse(read('package.json')) as { dependencies?: Record<string, string>; files: string[] };
const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version?: string }> };

/** "name@version" for every package in dist/THIRD_PARTY_LICENSES.txt. */
function licensed(): Map<string, string> {
  const entries = [...read('dist/THIRD_PARTY_LICENSES.txt').matchAll(/^(@?[^@\s]+)@(\S+) \(/gm)];
  return new Map(entries.map(([, name, version]) => [name!, version!]));
}

describe('the package', () => {
  it('has no runtime dependencies: everything the action and CLI run is bundled in dist/', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.files).toEqual(expect.arrayContaining(['dist/', 'python/', 'action.yml', 'LICENSE']));
    expect(read('LICENSE')).toMatch(/^MIT License/);
  });

  it('ships the license of every bundled package, at the version installed (npm run bundle writes it)', () => {
    const list = licensed();
    // Every package src imports is in the bundle, so in the list.
    const imported = new Set(
      globSync('src/**/*.ts', { cwd: root }).flatMap((file) =>
        [...read(file).matchAll(/from '([^'.][^']*)'/g)]
          .map(([, spec]) => spec!)
          .filter((spec) => !spec.startsWith('node:'))
          .map((spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!)),
      ),
    );
    for (const name of imported) expect(list.has(name), `${name} is imported by src/ but not in dist/THIRD_PARTY_LICENSES.txt`).toBe(true);
    // Every listed version is one the lockfile installs: a bump without a rebundle is stale.
    const installed = new Set(Object.entries(lock.packages).map(([where, info]) => `${where.replace(/^.*node_modules\//, '')}@${info.version}`));
    for (const [name, version] of list) expect(installed.has(`${name}@${version}`), `${name}@${version} is not what package-lock.json installs`).toBe(true);
  });
});
