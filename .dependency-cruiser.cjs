/**
 * The layers of src/, enforced (`npm run lint` runs it; CI fails on a violation). From the
 * bottom: small helpers (src/*.ts) → Blender, the add-on and the session (blender/, addon/,
 * session/) → the phases (probes/, addon-tests/, addon-health/, coverage/, snapshots/,
 * ui-check/, companion/, shards/, workspace/, result-file/, inputs/) → the reports (report/) →
 * the pipeline (main.ts, session-plan.ts, session-outcome.ts, watch/, run-and-report.ts) → the
 * entries (cli.ts, index.ts). A module imports only from its own layer or below; type imports
 * count (they tie modules together too). docs/architecture.md draws the same picture.
 */
const HELPERS = '^src/(bytes|cancel|display-path|duration|errors|globs|make-dirs|node-version|package-files|progress|text|unzip|write-report)\\.ts$';
const INFRASTRUCTURE = '^src/(blender|addon|session)/';
const PHASES = '^src/(probes|addon-tests|addon-health|coverage|snapshots|ui-check|companion|shards|workspace|result-file|inputs)/';
const REPORTS = '^src/(report|html-report)/';
const PIPELINE = '^src/(main|session-plan|session-outcome|run-and-report)\\.ts$|^src/watch/';
const ENTRIES = '^src/(cli|cli-main|index)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: one of them belongs lower, or a shared part below both.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'helpers-import-no-layer',
      severity: 'error',
      comment: 'The small helpers of src/ are used by every layer: they import none of them.',
      from: { path: HELPERS },
      to: { path: '^src/', pathNot: HELPERS },
    },
    {
      name: 'infrastructure-below-the-phases',
      severity: 'error',
      comment: 'Blender, the add-on and the session know nothing of probes, tests, checks or reports: pass what they need down.',
      from: { path: INFRASTRUCTURE },
      to: { path: `${PHASES}|${REPORTS}|${PIPELINE}|${ENTRIES}` },
    },
    {
      name: 'phases-below-the-reports',
      severity: 'error',
      comment: 'A phase gives its findings; the reports say them. A phase that needs a report helper means the helper belongs below.',
      from: { path: PHASES },
      to: { path: `${REPORTS}|${PIPELINE}|${ENTRIES}` },
    },
    {
      name: 'reports-below-the-pipeline',
      severity: 'error',
      comment: 'The reports show an outcome; they never call back up into the pipeline.',
      from: { path: REPORTS },
      to: { path: `${PIPELINE}|${ENTRIES}` },
    },
    {
      name: 'pipeline-below-the-entries',
      severity: 'error',
      comment: 'The pipeline does not import the action or the CLI entry.',
      from: { path: PIPELINE },
      to: { path: ENTRIES },
    },
    {
      name: 'one-pipeline-file',
      severity: 'error',
      comment:
        'main.ts is the story of a run: run-and-report.ts calls it; nothing else takes helpers from it (they live in session-plan.ts or with what they help).',
      from: { path: '^src/', pathNot: '^src/run-and-report\\.ts$' },
      to: { path: '^src/main\\.ts$' },
    },
    {
      name: 'every-module-in-a-layer',
      severity: 'error',
      comment: 'A new file at the top of src/ is a helper or part of the pipeline: add it to a layer above.',
      from: { path: '^src/[^/]+\\.ts$', pathNot: `${HELPERS}|${PIPELINE}|${ENTRIES}` },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(dist|build|node_modules)/' },
  },
};
