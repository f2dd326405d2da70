import { stageAddon } from './addon/stage.js';
import type { Installation } from './blender/installation.js';
import { locateBlender } from './blender/locate.js';
import { provisionBlender } from './blender/provision.js';
import { sourcesFor } from './blender/sources.js';
import type { RunConfig } from './config.js';
import { UserError } from './errors.js';
import { loadProbeSuite } from './probes/load.js';
import type { StepResult } from './probes/results.js';
import { runProbes } from './probes/run.js';
import { BlenderControl } from './probes/transports/blender.js';
import type { ProbeSuite } from './probes/suite.js';
import type { RunOutcome } from './report/outcome.js';
import type { Reporter } from './report/reporter.js';
import { headline, judge } from './report/verdict.js';
import type { ReadyInfo } from './session/driver-protocol.js';
import { createRunDir, removeRunDir } from './session/run-dir.js';
import { Session, type TeardownReport } from './session/session.js';

/** How long a cancelled run waits for Blender to exit before SIGKILL. */
export const CANCELLED_GRACE_MS = 3000;

/**
 * The run: provision → stage → load probes → start → ready → probes → stop → verdict.
 * Everything a user can get wrong is checked before Blender starts. Once it has started,
 * Blender is always stopped and checked for leftovers, whatever else happens.
 */
export async function runPipeline(config: RunConfig, reporter: Reporter, signal?: AbortSignal): Promise<RunOutcome> {
  // Probe files first: a typo there must not wait for a 300 MB download.
  const suite = await loadProbeSuite(config.probes);
  requirePorts(suite, config.port);
  const installation = await provision(config, reporter);

  const runDir = await createRunDir();
  try {
    const addon = await stageAddon(config.addon, config.addonModule, runDir.profile);
    reporter.starting(installation.executable, addon.module);
    const launchedAt = performance.now();
    const session = await Session.start({
      installation,
      addon,
      runDir,
      startup: config.startup,
      pump: config.pump,
      pumpIntervalMs: config.pumpIntervalMs,
      env: config.env,
      blenderArgs: config.blenderArgs,
      host: config.host,
      port: config.port,
      startupTimeoutMs: config.startupTimeoutMs,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
      onOutput: (line) => reporter.blenderOutput(line),
    });

    let ready: ReadyInfo | undefined;
    let sessionFailure: UserError | undefined;
    let results: StepResult[] = [];
    let teardown: TeardownReport;
    try {
      ready = await session.ready(signal);
      reporter.ready(ready, performance.now() - launchedAt);
      const control = session.control && new BlenderControl(session.control);
      try {
        const context = { host: config.host, port: config.port, timeoutMs: config.probeTimeoutMs, control };
        results = await runProbes(suite, context, (result) => reporter.step(result), signal);
      } finally {
        control?.close();
      }
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      sessionFailure = error;
    } finally {
      reporter.stopping();
      // Cancelled: GitHub sends SIGTERM ~7.5 s after SIGINT and SIGKILL 2.5 s later; Blender
      // must be gone and the leftover scan done before then.
      teardown = await session.stop(signal?.aborted ? CANCELLED_GRACE_MS : undefined);
      reporter.stopped(teardown);
    }

    const problems = judge({
      sessionFailure: sessionFailure?.message,
      cancelled: signal?.aborted ?? false,
      results,
      teardown,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
    });
    const blenderMisbehaved = sessionFailure !== undefined || teardown.exitedEarly || teardown.killed;
    const details = [
      problems.length > 1 ? problems.map((p) => `- ${p}`).join('\n') : undefined,
      sessionFailure?.details ?? (blenderMisbehaved ? `Last lines of the Blender log (${session.log.path}):\n${session.log.tail()}` : undefined),
    ].filter(Boolean);
    return {
      ok: problems.length === 0,
      ready: ready !== undefined,
      failure: headline(problems),
      details: details.length > 0 ? details.join('\n\n') : undefined,
      blenderVersion: ready?.blenderVersion ?? installation.version,
      results,
      teardown,
      logPath: session.log.path,
    };
  } finally {
    await removeRunDir(runDir);
  }
}

/** blender-path: that executable. Otherwise blender-version (default: system = blender on PATH). */
async function provision(config: RunConfig, reporter: Reporter): Promise<Installation> {
  const installation = config.blenderPath
    ? await locateBlender(config.blenderPath)
    : await provisionBlender({
        spec: config.blenderVersion ?? 'system',
        sources: sourcesFor(config.mirrors),
        cache: config.cache,
        log: (line) => reporter.info(line),
      });
  reporter.provisioned(installation);
  return installation;
}

/** Every send and http step needs a port from somewhere; say which lacks one before launch. */
function requirePorts(suite: ProbeSuite, port: number | undefined): void {
  if (port !== undefined) return;
  for (const file of suite.files) {
    if (file.target.port !== undefined) continue;
    const step = file.steps.find((s) => s.action.kind === 'send' || (s.action.kind === 'http' && s.action.http.port === undefined));
    if (step) {
      throw new UserError(
        `Probe file ${file.path}:${step.line} (step '${step.name}') has no port to talk to: set the 'port' input, or "target": {"port": ...} in the file.`,
      );
    }
  }
}
