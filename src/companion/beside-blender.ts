import path from 'node:path';
import type { RunConfig } from '../inputs/config.js';
import { toolVersion } from '../package-files.js';
import type { McpSetting } from '../probes/transports/mcp.js';
import type { ProbeSuite } from '../probes/suite.js';
import { BlenderLog } from '../session/blender-log.js';
import { commandLeftovers, runnerEnvironment } from '../session/command-group.js';
import type { LeftoverProcess } from '../session/leftovers.js';
import type { RunDir } from '../session/run-dir.js';
import { fillPlaceholders } from '../text.js';
import { Companion, type CompanionEnd, companionTag } from './companion.js';

/** Where a line came from: the companion, or an MCP server the client started over stdio. */
type BesideSource = 'companion' | 'mcp stdio';

export interface BesideBlenderOptions {
  config: RunConfig;
  runDir: RunDir;
  suite: ProbeSuite;
  onLine: (source: BesideSource, line: string) => void;
}

/** What ran beside Blender came to, once stopped. */
export interface BesideReport {
  /** the companion input's command, when there was one */
  companion: CompanionEnd | undefined;
  /** processes the companion or a stdio MCP server left once their groups were stopped: killed since */
  leftovers: LeftoverProcess[];
  unkillable: LeftoverProcess[];
  /** the stdio MCP servers' stderr */
  stdioLog: string | undefined;
}

/**
 * The processes a run starts besides Blender: the companion (started once Blender is ready),
 * and the MCP servers the probes' client starts over stdio. All carry one tag, so whatever
 * they leave is found after their groups are stopped, and named as theirs, not the add-on's.
 */
export class BesideBlender {
  private companion: Companion | undefined;
  private stdioLog: BlenderLog | undefined;
  private readonly tag: string;

  constructor(private readonly options: BesideBlenderOptions) {
    this.tag = companionTag(options.runDir.runId);
  }

  /** {port} and {companion-port}, for the companion's command and environment and the MCP targets. */
  private get placeholders(): Record<string, number | undefined> {
    return { port: this.options.config.port, 'companion-port': this.options.config.companionPort };
  }

  /** The runner's environment, the env input and companion-env: what the companion and stdio servers get. */
  private environment(): Record<string, string> {
    const { config } = this.options;
    const inherited = runnerEnvironment();
    const own = Object.fromEntries(Object.entries(config.companionEnv).map(([name, value]) => [name, fillPlaceholders(value, this.placeholders)]));
    return { ...inherited, ...config.env, ...own };
  }

  /** Starts the companion, when the run has one, and waits for its port. */
  async start(signal: AbortSignal | undefined): Promise<void> {
    const { config, runDir, onLine } = this.options;
    if (config.companion === undefined) return;
    const options = {
      command: fillPlaceholders(config.companion, this.placeholders),
      env: this.environment(),
      port: config.companionPort,
      host: config.host,
      tag: this.tag,
      logFile: path.join(runDir.logsDir, `companion-${runDir.runId}.log`),
      onLine: (line: string) => onLine('companion', line),
      readyTimeoutMs: config.startupTimeoutMs,
    };
    this.companion = Companion.start(options);
    await this.companion.ready(options, signal);
  }

  /** How the probes' MCP client reaches its servers; undefined when no probe file has an MCP target. */
  mcpSetting(): McpSetting | undefined {
    const { config, runDir, suite, onLine } = this.options;
    const targets = suite.files.flatMap((file) => (file.target.mcp ? [file.target.mcp] : []));
    if (targets.length === 0) return undefined;
    if (targets.some((target) => target.kind === 'stdio')) {
      this.stdioLog ??= new BlenderLog(path.join(runDir.logsDir, `mcp-stdio-${runDir.runId}.log`), (line) => onLine('mcp stdio', line));
    }
    return {
      env: this.environment(),
      tag: this.tag,
      log: this.stdioLog,
      graceMs: config.shutdownTimeoutMs,
      placeholders: this.placeholders,
      clientVersion: toolVersion(),
    };
  }

  /** Stops the companion (before Blender: it talks to Blender), then finds what any of them left. */
  async stop(graceMs: number): Promise<BesideReport | undefined> {
    if (!this.companion && !this.stdioLog) return undefined;
    const below = this.companion ? await this.companion.below() : [];
    const companion = await this.companion?.stop(graceMs);
    await this.stdioLog?.close();
    const { leftovers, unkillable } = await commandLeftovers(this.tag, this.companion?.pid, below);
    return { companion, leftovers, unkillable, stdioLog: this.stdioLog?.path };
  }
}
