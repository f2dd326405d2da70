import type { McpSessionRecord } from './mcp-file.js';
import type { McpFileSession } from './mcp-file.js';
import type { FileClient } from './file-client.js';
import type { Clock } from './retry.js';
import type { ProbeFile } from './suite.js';
import type { Scope } from './template.js';
import type { BlenderControl } from './transports/blender.js';
import type { McpSetting } from './transports/mcp.js';
import type { SnapshotOutcome, SnapshotSetting } from '../snapshots/snapshot-check.js';

/** How the probes reach the session, and where what they find is told: the run's, handed to every step. */
export interface ProbeContext {
  host: string;
  port: number | undefined;
  timeoutMs: number;
  /** the largest reply read (max-reply-size); MAX_MESSAGE_BYTES when not given */
  maxReplyBytes?: number;
  /** the driver's control channel, for `blender` steps */
  control: BlenderControl | undefined;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /**
   * Whether the server's process has ended, waiting up to `graceMs` to find out: asked when
   * a step's connection fails, since a crash shows first as a reset connection and only
   * then as an exit. Resolves with how it ended ("was killed by SIGSEGV"), or undefined.
   */
  serverEnded?: (graceMs: number) => Promise<string | undefined>;
  /** how mcp targets are reached (stdio servers' environment and log, {port}, {companion-port}) */
  mcp?: McpSetting;
  /** a file's MCP session ended: what its server told and did (for the report) */
  onMcpSession?: (session: McpSessionRecord) => void;
  /** mcp-error-text: warn about a tool that fails in words only */
  mcpErrorText?: 'off' | 'warn';
  /** how render steps are compared (update-snapshots, snapshot-results, the Blender's series) */
  snapshots?: SnapshotSetting;
  /** a render step compared (its record; a note when it wrote an approved image) */
  onSnapshot?: (outcome: SnapshotOutcome) => void;
  /** something the user should notice that fails nothing (mcp-error-text) */
  onWarning?: (line: string, at: { file: string; line: number }) => void;
}

/** One step's run: its file, the file's variables and connections, the context. */
export interface StepRun {
  file: ProbeFile;
  scope: Scope;
  client: FileClient;
  mcp: McpFileSession | undefined;
  context: ProbeContext;
  signal: AbortSignal | undefined;
}

/** What a step's request came back with: the value its expect is matched against, the reply as text, a problem of its own. */
export interface StepReply {
  document: unknown;
  raw: string;
  problem?: string | undefined;
}
