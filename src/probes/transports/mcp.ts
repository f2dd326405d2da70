import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolResultSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage } from '../../errors.js';
import type { BlenderLog } from '../../session/blender-log.js';
import { describeExit, exitWithin } from '../../session/launch.js';
import { fillPlaceholders } from '../../text.js';
import type { ToolInfo } from '../mcp-checks.js';
import { toolSchemaProblems } from '../mcp-checks.js';
import type { McpList, McpRequest, McpTarget } from '../suite.js';
import { GroupStdioTransport } from './mcp-stdio.js';
import { TransportError } from './tcp.js';

/** What an MCP client of this run needs besides the target: where stdio servers run and log, the placeholders. */
export interface McpSetting {
  /** a stdio server's environment: the runner's, the env input, companion-env (the target's env is added) */
  env: Record<string, string>;
  /** companion.ts's tag: what a stdio server leaves is found by it */
  tag: string;
  /** stdio servers' stderr (there when a target is a stdio server) */
  log: BlenderLog | undefined;
  /** SIGTERM → SIGKILL for a stdio server's group */
  graceMs: number;
  /** {port}, {companion-port} */
  placeholders: Record<string, number | undefined>;
  clientVersion: string;
}

/** What initialize told, and what the session's own checks found: in the report, whether or not a step asks. */
export interface McpHandshake {
  server: { name: string; version: string };
  protocolVersion: string | undefined;
  /** the capabilities the server declared: tools, resources, prompts, logging, … */
  capabilities: string[];
  tools: string[];
  /** broken tool schemas (toolSchemaProblems) */
  problems: string[];
}

/** A request's answer: the result as the server sent it, and the progress notifications that came before it. */
export interface McpAnswer {
  result: Record<string, unknown>;
  progress: number;
  /** the tool the call named, as tools/list described it */
  tool: ToolInfo | undefined;
}

/** One MCP session for a probe file: the official SDK's client over stdio (in a process group) or HTTP. */
export class McpConnection {
  private constructor(
    private readonly client: Client,
    private readonly transport: Transport,
    readonly handshake: McpHandshake,
    private readonly tools: Map<string, Tool>,
    readonly describeTarget: string,
    private readonly progressSeen: { count: number },
  ) {}

  static async open(target: McpTarget, setting: McpSetting, signal: AbortSignal, timeoutMs: number): Promise<McpConnection> {
    const { transport, shownAs } = transportFor(target, setting);
    let protocolVersion: string | undefined;
    const setVersion = transport.setProtocolVersion?.bind(transport);
    // The SDK does not keep the version it agreed on: the transport is told it.
    transport.setProtocolVersion = (version) => {
      protocolVersion = version;
      setVersion?.(version);
    };
    const client = new Client({ name: 'blender-bg-action', version: setting.clientVersion }, { capabilities: {} });
    try {
      await client.connect(transport, { signal, timeout: timeoutMs + 1000 });
      const counter = countProgress(transport);
      const capabilities = client.getServerCapabilities() ?? {};
      const tools = capabilities.tools ? ((await listEvery(client, 'tools', { signal, timeout: timeoutMs + 1000 }))['tools'] as Tool[]) : [];
      const server = client.getServerVersion();
      const handshake: McpHandshake = {
        server: { name: server?.name ?? '(unnamed)', version: server?.version ?? '' },
        protocolVersion,
        capabilities: Object.keys(capabilities).sort(),
        tools: tools.map((t) => t.name),
        problems: toolSchemaProblems(tools),
      };
      return new McpConnection(client, transport, handshake, new Map(tools.map((t) => [t.name, t])), shownAs, counter);
    } catch (error) {
      await client.close().catch(() => {});
      if (signal.aborted) throw error;
      throw new TransportError(`could not open an MCP session with ${shownAs}: ${await whyFailed(error, transport)}`);
    }
  }

  /** How many progress notifications the server sent in this session so far. */
  get progress(): number {
    return this.progressSeen.count;
  }

  /** One request at a time per session: the progress notifications that arrive meanwhile are its own. */
  async request(request: McpRequest, signal: AbortSignal, timeoutMs: number): Promise<McpAnswer> {
    const before = this.progressSeen.count;
    const options = {
      signal,
      timeout: timeoutMs + 1000, // ours (the signal) comes first, and names the step's timeout
      onprogress: () => {}, // asks for progress (a progressToken); they are counted as they arrive
    };
    try {
      const result = await this.send(request, options);
      return {
        result: result as Record<string, unknown>,
        progress: this.progressSeen.count - before,
        tool: request.op === 'call' ? this.tools.get(request.name) : undefined,
      };
    } catch (error) {
      if (signal.aborted) throw error;
      throw new TransportError(`${describeRequest(request)}: ${await whyFailed(error, this.transport)}`);
    }
  }

  private send(request: McpRequest, options: Parameters<Client['request']>[2]): Promise<unknown> {
    const { client } = this;
    switch (request.op) {
      case 'call':
        // Not client.callTool: it throws on a result that breaks the outputSchema, and the step
        // is to name what broke it (mcp-checks.ts), and to match what came.
        return client.request({ method: 'tools/call', params: { name: request.name, arguments: request.arguments } }, CallToolResultSchema, options);
      case 'read':
        return client.readResource({ uri: request.uri }, options);
      case 'prompt':
        return client.getPrompt(
          {
            name: request.name,
            arguments: Object.fromEntries(Object.entries(request.arguments).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
          },
          options,
        );
      case 'list':
        return listEvery(client, request.what, options);
    }
  }

  async close(): Promise<void> {
    if (this.transport instanceof StreamableHTTPClientTransport) await this.transport.terminateSession().catch(() => {});
    await this.client.close().catch(() => {});
  }
}

/**
 * Counts progress notifications as the transport delivers them. The SDK hands notifications to
 * their handlers a microtask later than responses, so a request's last notification reaches
 * its onprogress only after the request has resolved (and its handler is gone): 2 of 3, measured.
 */
function countProgress(transport: Transport): { count: number } {
  const seen = { count: 0 };
  const deliver = transport.onmessage;
  transport.onmessage = (message, extra) => {
    if ('method' in message && message.method === 'notifications/progress') seen.count++;
    deliver?.(message, extra);
  };
  return seen;
}

/** tools/call get_scene_info, resources/read blender://scene, … */
export function describeRequest(request: McpRequest): string {
  switch (request.op) {
    case 'call':
      return `tools/call ${request.name}`;
    case 'read':
      return `resources/read ${request.uri}`;
    case 'prompt':
      return `prompts/get ${request.name}`;
    case 'list':
      return LIST_METHODS[request.what];
  }
}

const LIST_METHODS = { tools: 'tools/list', resources: 'resources/list', resourceTemplates: 'resources/templates/list', prompts: 'prompts/list' } as const;

function transportFor(target: McpTarget, setting: McpSetting): { transport: Transport; shownAs: string } {
  if (target.kind === 'stdio' && setting.log) {
    const command = fillPlaceholders(target.command, setting.placeholders);
    const transport = new GroupStdioTransport({
      command,
      env: { ...setting.env, ...target.env },
      tag: setting.tag,
      log: setting.log,
      graceMs: setting.graceMs,
    });
    return { transport, shownAs: `the stdio server (${command})` };
  }
  if (target.kind === 'stdio') throw new TransportError('no log for the stdio server: the run made no MCP setting for it');
  const url = new URL(fillPlaceholders(target.url, setting.placeholders));
  const requestInit = { headers: target.headers };
  const transport = target.transport === 'sse' ? new SSEClientTransport(url, { requestInit }) : new StreamableHTTPClientTransport(url, { requestInit });
  return { transport, shownAs: url.href };
}

/** Every page of a list. */
async function listEvery(client: Client, what: McpList, options: Parameters<Client['request']>[2]): Promise<Record<string, unknown>> {
  const items: unknown[] = [];
  let cursor: string | undefined;
  do {
    const params = cursor === undefined ? {} : { cursor };
    const page: Record<string, unknown> =
      what === 'tools'
        ? await client.listTools(params, options)
        : what === 'resources'
          ? await client.listResources(params, options)
          : what === 'resourceTemplates'
            ? await client.listResourceTemplates(params, options)
            : await client.listPrompts(params, options);
    items.push(...((page[what] as unknown[] | undefined) ?? []));
    cursor = typeof page['nextCursor'] === 'string' ? page['nextCursor'] : undefined;
  } while (cursor !== undefined);
  return { [what]: items };
}

/** A failed request in words: a stdio server that exited says how, with what it printed last. */
async function whyFailed(error: unknown, transport: Transport): Promise<string> {
  if (transport instanceof GroupStdioTransport && transport.exited) {
    const exit = await exitWithin({ exited: transport.exited }, 200);
    if (exit) return `it ${describeExit(exit)}`;
  }
  const cause = (error as { cause?: unknown }).cause;
  return cause ? `${errorMessage(error)} (${errorMessage(cause)})` : errorMessage(error);
}
