import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import typescript from '@rollup/plugin-typescript';
import license from 'rollup-plugin-license';

// dist/ is committed: the action runs dist/index.js with no node_modules, and the
// package's bin is dist/cli.js. Code both entries share lands in dist/chunks/.
export default {
  input: { index: 'src/index.ts', cli: 'src/cli.ts' },
  output: {
    dir: 'dist',
    format: 'es',
    sourcemap: false,
    chunkFileNames: 'chunks/[name].js',
    // One stable name for the shared code, rather than whichever module rollup picks. The CLI's
    // Node.js check (node-version.ts) stays in dist/cli.js: it runs before the shared code loads;
    // cli-main.ts is a chunk of its own (its top level runs the CLI: never inside the action).
    manualChunks: (id) => (/[\\/]src[\\/](index|cli|cli-main|node-version)\.ts$/.test(id) ? undefined : 'shared'),
  },
  plugins: [
    typescript({ tsconfig: './tsconfig.build.json' }),
    nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
    commonjs(),
    json(),
    // Every third-party package inside the bundle, with its license text, next to the bundle
    // (test/unit/package.test.ts fails when this list no longer matches what src imports).
    license({
      thirdParty: {
        includePrivate: false,
        output: {
          file: 'dist/THIRD_PARTY_LICENSES.txt',
          template: (dependencies) =>
            dependencies
              .sort((a, b) => a.name.localeCompare(b.name))
              .map(
                (d) =>
                  `${d.name}@${d.version} (${d.license ?? 'license not declared'})\n\n${(d.licenseText ?? d.noticeText ?? 'No license text shipped with the package.').trim()}\n`,
              )
              .join('\n' + '-'.repeat(78) + '\n\n'),
        },
      },
    }),
  ],
  onwarn(warning, warn) {
    // @actions/* and their dependencies use `this` at top level and circular imports: harmless
    // there. A cycle that runs through our own code is a design problem, so that one is shown.
    if (warning.code === 'THIS_IS_UNDEFINED') return;
    if (warning.code === 'CIRCULAR_DEPENDENCY' && warning.ids?.every((id) => id.includes('node_modules'))) return;
    warn(warning);
  },
};
