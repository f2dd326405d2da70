import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { BlenderLog } from '../../session/blender-log.js';
import { CommandGroup } from '../../session/command-group.js';

/** How long a stdio server may take to end once its stdin is closed, before SIGTERM. */
const STDIN_CLOSED_GRACE_MS = 1000;

export interface StdioServer {
  command: string;
  env: Record<string, string>;
  /** the run-id variable's value its processes carry (companion.ts's tag) */
  tag: string;
  /** its stderr, line by line */
  log: BlenderLog;
  /** SIGTERM → SIGKILL */
  graceMs: number;
}

/**
 * MCP over stdio, as the SDK's StdioClientTransport, but the server runs in its own process
 * group: closing signals the whole group (a `uvx` or `npx` wrapper's server is its child,
 * which the SDK's transport, signalling only its direct child, would leave running).
 */
export class GroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private group: CommandGroup | undefined;
  private readonly buffer = new ReadBuffer();

  constructor(private readonly server: StdioServer) {}

  async start(): Promise<void> {
    const group = CommandGroup.start({ command: this.server.command, env: this.server.env, tag: this.server.tag, log: this.server.log, talk: true });
    this.group = group;
    group.stdout?.on('data', (chunk: Buffer) => {
      try {
        this.buffer.append(chunk);
      } catch (error) {
        this.onerror?.(error as Error); // one message larger than the buffer: it is dropped
        return;
      }
      for (;;) {
        let message: JSONRPCMessage | null;
        try {
          message = this.buffer.readMessage();
        } catch (error) {
          this.onerror?.(error as Error); // a line that is not JSON-RPC: a server printing to stdout
          continue;
        }
        if (message === null) break;
        this.onmessage?.(message);
      }
    });
    group.stdin?.on('error', (error) => this.onerror?.(error));
    void group.exited.then(() => this.onclose?.());
  }

  /** The server's exit, for a request that failed because it went away. */
  get exited(): CommandGroup['exited'] | undefined {
    return this.group?.exited;
  }

  send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.group?.stdin;
    if (!stdin || this.group?.hasExited()) return Promise.reject(new Error('the MCP server over stdio has exited'));
    return new Promise((resolve, reject) => {
      stdin.write(serializeMessage(message), (error) => (error ? reject(error) : resolve()));
    });
  }

  async close(): Promise<void> {
    await this.group?.stop(this.server.graceMs, STDIN_CLOSED_GRACE_MS);
    this.buffer.clear();
  }
}
