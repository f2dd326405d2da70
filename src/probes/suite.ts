import type { Capture } from './capture.js';
import type { WireFormat } from './framing.js';
import type { RetryPolicy } from './retry.js';
import type { RenderSpec } from '../session/driver-protocol.js';
import type { JsonValue, MCP_LISTS, MCP_TRANSPORTS } from './vocabulary.js';

/** A probe file, parsed and validated before Blender starts: what the load phase hands on. */
export interface ProbeFile {
  path: string;
  name: string;
  target: ProbeTarget;
  vars: Record<string, JsonValue>;
  steps: ProbeStep[];
}

interface ProbeTarget {
  host: string | undefined;
  port: number | undefined;
  /** the framing, with a length prefix's shape when it has one */
  framing: WireFormat;
  connection: 'persistent' | 'per-step';
  /** the file's MCP server, for mcp steps */
  mcp: McpTarget | undefined;
  /** 1-based line of "target" (the MCP session's own checks are reported there) */
  line: number;
}

/** How the client reaches an MCP server: a command it starts, or a server's URL. */
export type McpTarget =
  { kind: 'stdio'; command: string; env: Record<string, string> } | { kind: 'url'; url: string; transport: McpTransport; headers: Record<string, string> };

type McpTransport = (typeof MCP_TRANSPORTS)[number];

export type McpList = (typeof MCP_LISTS)[number];

/** One MCP request: tools/call, a list, resources/read, prompts/get. */
export type McpRequest =
  | { op: 'call'; name: string; arguments: Record<string, JsonValue> }
  | { op: 'list'; what: McpList }
  | { op: 'read'; uri: string }
  | { op: 'prompt'; name: string; arguments: Record<string, JsonValue> };

export interface HttpRequestSpec {
  method: string;
  path: string;
  host: string | undefined;
  port: number | undefined;
  headers: Record<string, string>;
  json: JsonValue | undefined;
  body: string | undefined;
}

/** What a step does: exactly one of these. */
export type StepAction =
  | { kind: 'send'; send: JsonValue }
  | { kind: 'http'; http: HttpRequestSpec }
  | { kind: 'blender'; code: string; mode: 'eval' | 'exec' }
  | { kind: 'mcp'; mcp: McpRequest }
  | { kind: 'render'; render: RenderSpec; snapshot: SnapshotExpect };

/** What a render step is compared with: the approved image (as written in the file) and the rule. */
interface SnapshotExpect {
  image: string;
  threshold: number;
  maxDiffRatio: number;
}

export interface ProbeStep {
  name: string;
  /** 1-based line of the step in its file, for reports and annotations */
  line: number;
  action: StepAction;
  expect: JsonValue | undefined;
  strict: boolean;
  captures: Capture[];
  retry: (RetryPolicy & { failIf: JsonValue | undefined }) | undefined;
  timeoutMs: number | undefined;
}

export interface ProbeSuite {
  files: ProbeFile[];
}
