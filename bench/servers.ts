import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { inspectAddon } from '../src/addon/inspect.js';
import { createUserDirs, stageAddon } from '../src/addon/stage.js';
import { capabilitiesOf } from '../src/blender/capabilities.js';
import type { Installation } from '../src/blender/installation.js';
import { blenderEnvironment } from '../src/blender/invocation.js';
import { acceptsConnections } from '../src/session/port-owner.js';
import { createRunDir, removeRunDir } from '../src/session/run-dir.js';
import { Session } from '../src/session/session.js';
import { freePort } from '../test/helpers/ports.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// From the repository root, not from test/helpers: the bench runs compiled, from build/,
// where paths relative to a helper's own file would point inside build/.
const FIXTURE_ADDONS = path.join(ROOT, 'test', 'fixtures', 'addons');
const FIXTURE_ADDON = path.join(FIXTURE_ADDONS, 'fixture_service');
export const EXAMPLE_ADDON = path.join(ROOT, 'examples', 'echo-addon', 'echo_addon');
const REFERENCES = path.join(ROOT, 'bench', 'references');

export interface Served {
  port: number;
  pid: number;
  /** spawn → ready, in ms */
  readyMs: number;
  /** stop → Blender gone and leftovers scanned, in ms */
  stop(): Promise<number>;
}

/** The fixture addon in `mode`, served by our driver through the product's own Session. */
export async function serveWithDriver(installation: Installation, mode: string, pump?: string, pumpWake = true): Promise<Served> {
  const port = await freePort();
  const runDir = await createRunDir();
  // A legacy addon with no online-access choice: the pipeline asks no version for it either.
  const capabilities = capabilitiesOf(undefined);
  const userDirs = await createUserDirs(runDir.profile);
  const environment = blenderEnvironment({ capabilities, userDirs, runId: runDir.runId, tmpDir: runDir.tmp, extra: { FIXTURE_MODE: mode, FIXTURE_PORT: String(port) } });
  const source = await inspectAddon(FIXTURE_ADDON, undefined, runDir.unzipped);
  const addon = await stageAddon(source, userDirs, { executable: installation.executable, version: '', capabilities, environment, logFile: runDir.logFile });
  const started = performance.now();
  const session = await Session.start({
    installation,
    addon,
    runDir,
    startup: undefined,
    pump,
    pumpIntervalMs: 10,
    pumpWake,
    environment,
    flags: [],
    host: '127.0.0.1',
    port,
    startupTimeoutMs: 60_000,
    shutdownTimeoutMs: 10_000,
    onOutput: () => {},
  });
  await session.ready();
  const readyMs = performance.now() - started;
  return {
    port,
    pid: session.blender.pid,
    readyMs,
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
  blender.stdout!.setEncoding('utf8');
  let seen = '';
  while (!seen.includes('BARE-READY')) {
    const [chunk] = (await once(blender.stdout!, 'data')) as [string];
    seen += chunk;
  }
  const elapsed = performance.now() - started;
  await blender;
  return elapsed;
}
