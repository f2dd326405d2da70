import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import type { Installation } from '../src/blender/installation.js';
import { parseRunConfig, requireAddon } from '../src/inputs/config.js';
import { runPipeline } from '../src/main.js';
import type { RunOutcome } from '../src/report/outcome.js';
import { acceptsConnections } from '../src/session/port-owner.js';
import { removeRunDir } from '../src/session/run-dir.js';
import { freePort } from '../test/helpers/ports.js';
import { RecordingReporter } from '../test/helpers/recording-reporter.js';
import { startFixtureSession } from '../test/helpers/session.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// From the repository root, not from test/helpers: the bench runs compiled, from build/,
// where paths relative to a helper's own file would point inside build/.
const FIXTURE_ADDONS = path.join(ROOT, 'test', 'fixtures', 'addons');
const FIXTURE_ADDON = path.join(FIXTURE_ADDONS, 'fixture_service');
export const EXAMPLE_ADDON = path.join(ROOT, 'examples', 'echo-addon', 'echo_addon');
const REFERENCES = path.join(ROOT, 'bench', 'references');

/** The example addon and its probe files through the whole pipeline (with `inputs`); it must pass. */
export async function exampleRun(blender: Installation, inputs: Record<string, string> = {}): Promise<{ outcome: RunOutcome; ms: number }> {
  const port = String(await freePort());
  const config = parseRunConfig({
    'blender-path': blender.executable,
    addon: EXAMPLE_ADDON,
    port,
    env: [`ECHO_ADDON_PORT=${port}`],
    probes: [path.join(ROOT, 'examples', 'echo-addon', 'probes', '*.json')],
    ...inputs,
  });
  const started = performance.now();
  const outcome = await runPipeline(requireAddon(config), new RecordingReporter());
  if (!outcome.ok) throw new Error(`the example failed in the bench: ${outcome.failure}`);
  return { outcome, ms: performance.now() - started };
}

export interface Served {
  port: number;
  pid: number;
  /** spawn → ready, in ms */
  readyMs: number;
  /** stop → Blender gone and leftovers scanned, in ms */
  stop(): Promise<number>;
}

/** The fixture addon in `mode`, served by our driver through the product's own Session. */
export async function serveWithDriver(
  installation: Installation,
  mode: string,
  pump?: string,
  pumpWake = true,
  coverage = false,
): Promise<Served & { pythonVersion: string }> {
  const started = performance.now();
  const { session, runDir, port } = await startFixtureSession({ installation, addonPath: FIXTURE_ADDON, mode, pump, pumpWake, coverage });
  const ready = await session.ready();
  const readyMs = performance.now() - started;
  return {
    port,
    pid: session.blender.pid,
    readyMs,
    pythonVersion: ready.pythonVersion,
    async stop() {
      const stopping = performance.now();
      const teardown = await session.stop();
      const elapsed = performance.now() - stopping;
      await removeRunDir(runDir);
      if (teardown.kind !== 'graceful' || teardown.leftovers.length > 0) throw new Error(`bench session (${mode}) did not stop cleanly`);
      return elapsed;
    },
  };
}

/** A reference script from bench/references/ serving the same fixture server. */
export async function serveReference(installation: Installation, script: 'floor' | 'sleep_loop'): Promise<Served> {
  const port = await freePort();
  const started = performance.now();
  const blender = execa(
    installation.executable,
    ['-b', '--factory-startup', '--python', path.join(REFERENCES, `${script}.py`), '--', FIXTURE_ADDONS, String(port)],
    { detached: true, reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' },
  );
  while (!(await acceptsConnections('127.0.0.1', port))) {
    if (blender.exitCode !== null) throw new Error(`reference ${script} exited early`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { port, pid: blender.pid!, readyMs: performance.now() - started, stop: () => kill(blender) };
}

async function kill(blender: ResultPromise): Promise<number> {
  const started = performance.now();
  process.kill(-blender.pid!, 'SIGKILL');
  await blender;
  return performance.now() - started;
}

/** Blender's own bare startup: spawn → the first line a --python script prints. */
export async function bareStartupMs(installation: Installation): Promise<number> {
  const started = performance.now();
  const blender = execa(installation.executable, ['-b', '--factory-startup', '--python', path.join(REFERENCES, 'bare.py')], {
    reject: false,
    stdin: 'ignore',
  });
  blender.stdout.setEncoding('utf8');
  let seen = '';
  while (!seen.includes('BARE-READY')) {
    const [chunk] = (await once(blender.stdout, 'data')) as [string];
    seen += chunk;
  }
  const elapsed = performance.now() - started;
  await blender;
  return elapsed;
}
