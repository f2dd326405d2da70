import { inspectAddon } from '../../src/addon/inspect.js';
import { createUserDirs, stageAddon } from '../../src/addon/stage.js';
import { capabilitiesOf } from '../../src/blender/capabilities.js';
import type { Installation } from '../../src/blender/installation.js';
import { blenderEnvironment } from '../../src/blender/invocation.js';
import { type RunDir, createRunDir } from '../../src/session/run-dir.js';
import { Session, type SessionOptions } from '../../src/session/session.js';
import { freePort } from './ports.js';

export interface FixtureSession {
  session: Session;
  runDir: RunDir;
  port: number;
}

/**
 * The fixture addon in `mode`, in a Session of the product's own, started and not yet ready:
 * for the bench, and for tests that need a session's options the pipeline does not expose.
 * `addonPath` is passed in: the bench runs compiled from build/, where this file's own
 * location says nothing about where the fixtures are.
 */
export async function startFixtureSession(options: {
  installation: Installation;
  addonPath: string;
  mode: string;
  pump?: string;
  pumpWake?: boolean;
  stopBy?: SessionOptions['stopBy'];
  shutdownTimeoutMs?: number;
  coverage?: boolean;
}): Promise<FixtureSession> {
  const port = await freePort();
  const runDir = await createRunDir();
  // A legacy add-on with no online-access choice: the pipeline asks no version for it either.
  const capabilities = capabilitiesOf(undefined);
  const userDirs = await createUserDirs(runDir.profile);
  const environment = blenderEnvironment({
    capabilities,
    userDirs,
    runId: runDir.runId,
    tmpDir: runDir.tmp,
    extra: { FIXTURE_MODE: options.mode, FIXTURE_PORT: String(port) },
  });
  const source = await inspectAddon(options.addonPath, undefined, runDir.unzipped);
  const addon = await stageAddon(source, userDirs, {
    executable: options.installation.executable,
    version: '',
    capabilities,
    environment,
    logFile: runDir.logFile,
  });
  const session = await Session.start({
    installation: options.installation,
    addon,
    runDir,
    startup: undefined,
    pump: options.pump,
    pumpIntervalMs: 10,
    pumpWake: options.pumpWake ?? true,
    environment,
    flags: [],
    host: '127.0.0.1',
    port,
    startupTimeoutMs: 60_000,
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 10_000,
    onOutput: () => {},
    coverage: options.coverage ?? false,
    ...(options.stopBy ? { stopBy: options.stopBy } : {}),
  });
  return { session, runDir, port };
}
