import { MAX_MESSAGE_BYTES, type WireFormat } from './framing.js';
import type { ProbeFile } from './suite.js';
import { ClosedBeforeReplyError, TcpConnection } from './transports/tcp.js';

/** A file's TCP connection: reused across steps (or not: per-step), reopened after a close. */
export class FileClient {
  private connection: TcpConnection | undefined;
  private readonly host: string;
  private readonly port: number;
  private readonly maxReplyBytes: number;
  private readonly wire: WireFormat;

  constructor(
    private readonly file: ProbeFile,
    context: { host: string; port: number | undefined; maxReplyBytes?: number },
  ) {
    this.maxReplyBytes = context.maxReplyBytes ?? MAX_MESSAGE_BYTES;
    const { framing } = file.target;
    // One limit for every framing: a length prefix announcing more is refused before reading.
    this.wire = typeof framing === 'object' ? { ...framing, maxBytes: this.maxReplyBytes } : framing;
    this.host = file.target.host ?? context.host;
    // main.ts refuses a suite whose send steps have no port before Blender starts.
    this.port = file.target.port ?? context.port ?? 0;
  }

  async request(payload: string, signal: AbortSignal): Promise<string> {
    if (this.file.target.connection === 'per-step') {
      this.close();
      this.connection = undefined;
    }
    const reused = this.connection !== undefined && !this.connection.closed;
    try {
      return await this.send(payload, signal);
    } catch (error) {
      // A server that closes after each reply may not have been seen closing yet: the
      // kept connection was stale, not the server wrong. Once more, on a fresh one.
      if (reused && error instanceof ClosedBeforeReplyError) return this.send(payload, signal);
      throw error;
    } finally {
      if (this.file.target.connection === 'per-step') this.close();
    }
  }

  private async send(payload: string, signal: AbortSignal): Promise<string> {
    if (!this.connection || this.connection.closed) {
      this.connection = await TcpConnection.open(this.host, this.port, signal, this.maxReplyBytes);
    }
    return this.connection.request(payload, this.wire, signal);
  }

  close(): void {
    this.connection?.close();
  }
}
