import { formatDuration } from '../duration.js';
import { errorMessage } from '../errors.js';
import { callDocument, errorWithoutIsError, outputSchemaProblem, textOf, unexpectedToolError } from './mcp-checks.js';
import type { StepResult } from './results.js';
import type { JsonValue } from './vocabulary.js';
import type { McpRequest, ProbeFile } from './suite.js';
import { type McpHandshake, McpConnection, type McpSetting, describeRequest } from './transports/mcp.js';
import { TransportError } from './transports/tcp.js';

/** The name of the step that reports a file's MCP session: the handshake and the tools' schemas. */
export const MCP_SESSION_STEP = 'MCP session';

/** A probe file's MCP session, for the report: what the server told, and what it did. */
export interface McpSessionRecord extends McpHandshake {
  file: string;
  /** the URL, or the stdio command */
  target: string;
  progressNotifications: number;
}

/** The session in one line for the log: the server, the protocol, what it declared, what it sent. */
export function mcpSessionLine(record: McpSessionRecord): string {
  const progress =
    record.progressNotifications > 0 ? `; ${record.progressNotifications} progress notification${record.progressNotifications > 1 ? 's' : ''}` : '';
  const tools = record.tools.length === 1 ? '1 tool' : `${record.tools.length} tools`;
  return `MCP session of ${record.file}: ${record.server.name} ${record.server.version}, protocol ${record.protocolVersion ?? 'unknown'}, capabilities: ${record.capabilities.join(', ') || 'none'}; ${tools}${progress}.`;
}

/** A reply to an mcp step: what expect matches, and what fails the step whatever expect says. */
export interface McpReply {
  document: unknown;
  raw: string;
  /** a check every call gets: isError not expected, a structuredContent that breaks its outputSchema */
  problem: string | undefined;
  /** a failure told only in words (mcp-error-text) */
  errorText: string | undefined;
}

/**
 * A probe file's one MCP session: opened before its first step (the handshake is a result of
 * its own, at the target's line), reopened by a later step if it could not open or was lost,
 * closed after the file.
 */
export class McpFileSession {
  private connection: McpConnection | undefined;

  constructor(
    private readonly file: ProbeFile,
    private readonly setting: McpSetting | undefined,
    private readonly onSession: (session: McpSessionRecord) => void,
  ) {}

  /** Opens the session: passes when the handshake worked and every tool's schema is one. */
  async open(signal: AbortSignal | undefined, timeoutMs: number): Promise<StepResult> {
    const started = performance.now();
    const base = { file: this.file.path, fileName: this.file.name, step: MCP_SESSION_STEP, line: this.file.target.line, kind: 'mcp' as const, attempts: 1 };
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      const connection = await this.connect(signal ? AbortSignal.any([signal, timeout]) : timeout, timeoutMs);
      const { handshake } = connection;
      const reply = JSON.stringify(handshake);
      const durationMs = performance.now() - started;
      if (handshake.problems.length === 0) return { ...base, passed: true, durationMs, reply };
      const [first, ...more] = handshake.problems;
      return {
        ...base,
        passed: false,
        durationMs,
        reply,
        failure: `${first}${more.length > 0 ? ` (and ${more.length} more)` : ''}`,
        details: handshake.problems.join('\n'),
      };
    } catch (error) {
      const failure = timeout.aborted ? `no MCP session within ${formatDuration(timeoutMs)} (probe-timeout)` : errorMessage(error);
      return { ...base, passed: false, durationMs: performance.now() - started, failure, ...(timeout.aborted ? { timedOut: true } : {}) };
    }
  }

  async request(request: McpRequest, expect: JsonValue | undefined, signal: AbortSignal, timeoutMs: number): Promise<McpReply> {
    const connection = await this.connect(signal, timeoutMs);
    const answer = await connection.request(request, signal, timeoutMs);
    if (request.op !== 'call') {
      const document = request.op === 'read' ? withText(answer.result) : answer.result;
      return { document, raw: JSON.stringify(answer.result), problem: undefined, errorText: undefined };
    }
    const result = answer.result;
    const problem = outputSchemaProblem(answer.tool, result) ?? unexpectedToolError(result, expect);
    const errorText = errorWithoutIsError(result)
      ? `${describeRequest(request)} returned "${textOf(result).slice(0, 80)}" with isError false: a client takes it for a success`
      : undefined;
    return { document: callDocument(result, answer.progress), raw: JSON.stringify(result), problem, errorText };
  }

  /** Closes the session, and tells what it was (once it had opened). */
  async close(): Promise<void> {
    const { connection } = this;
    this.connection = undefined;
    if (!connection) return;
    await connection.close();
    this.onSession({ file: this.file.path, target: connection.describeTarget, ...connection.handshake, progressNotifications: connection.progress });
  }

  private async connect(signal: AbortSignal, timeoutMs: number): Promise<McpConnection> {
    if (this.connection) return this.connection;
    if (!this.setting) throw new TransportError('no MCP client here (mcp steps run in a test session)');
    const connection = await McpConnection.open(this.file.target.mcp!, this.setting, signal, timeoutMs);
    this.connection = connection;
    return connection;
  }
}

/** resources/read: the contents' text joined as `text`, and parsed as `json` where it is JSON (as a call's). */
function withText(result: Record<string, unknown>): Record<string, unknown> {
  const contents = Array.isArray(result['contents']) ? (result['contents'] as { text?: unknown }[]) : [];
  const asContent = contents.filter((c) => typeof c.text === 'string').map((c) => ({ type: 'text', text: c.text }));
  const { text, json } = callDocument({ content: asContent }, 0);
  return { ...result, text, ...(json === undefined ? {} : { json }) };
}
