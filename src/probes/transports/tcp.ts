import net from 'node:net';
import { formatBytes } from '../../bytes.js';
import { JsonValueWatcher, MAX_MESSAGE_BYTES, type WireFormat, encodeRequest, takeFrame } from '../framing.js';
import { preview } from '../json-values.js';

/** A failure of the transport itself (refused, closed, timed out), as one sentence. */
export class TransportError extends Error {
  override readonly name: string = 'TransportError';
}

/** The server closed a connection before any byte of the reply arrived. */
export class ClosedBeforeReplyError extends TransportError {
  override readonly name = 'ClosedBeforeReplyError';
}

/** With the raw framing, a reply is complete when the server goes quiet this long. */
const RAW_QUIET_MS = 50;

interface PendingReply {
  framing: WireFormat;
  resolve: (reply: string) => void;
  reject: (error: Error) => void;
}

/**
 * One TCP connection to the add-on, one request in flight at a time: servers that frame
 * bare JSON cannot split two requests that arrive in the same buffer.
 */
export class TcpConnection {
  /** what arrived and is not consumed yet, joined only when a frame could be complete */
  private chunks: Buffer[] = [];
  private received = 0;
  /** bytes the current frame takes, once its framing knows (a length prefix, Content-Length) */
  private needed = 0;
  /** bare JSON: where the value stands, so no byte is scanned twice */
  private watcher: JsonValueWatcher | undefined;
  private pending: PendingReply | undefined;
  private closedReason: string | undefined;
  private quietTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly socket: net.Socket,
    readonly address: string,
    private readonly maxReplyBytes: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.received += chunk.length;
      // Joining and looking again per chunk would be quadratic in a big reply's size.
      if (this.mayHaveFrame(chunk)) this.deliver();
      if (this.pending && this.received > this.maxReplyBytes) this.refuseOversized(this.pending);
    });
    socket.on('end', () => this.markClosed('the server closed the connection'));
    socket.on('close', () => this.markClosed('the connection closed'));
    socket.on('error', (error) => this.markClosed(`connection error: ${error.message}`));
  }

  static open(host: string, port: number, signal: AbortSignal, maxReplyBytes = MAX_MESSAGE_BYTES): Promise<TcpConnection> {
    const address = `${host}:${port}`;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const onAbort = () => {
        socket.destroy();
        reject(new TransportError(`could not connect to ${address} in time`));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => {
        signal.removeEventListener('abort', onAbort);
        resolve(new TcpConnection(socket, address, maxReplyBytes));
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        signal.removeEventListener('abort', onAbort);
        const why = error.code === 'ECONNREFUSED' ? 'connection refused' : error.message;
        reject(new TransportError(`could not connect to ${address} (${why})`));
      });
    });
  }

  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  /** Sends one request and resolves with the text of one complete reply. */
  request(payload: string, framing: WireFormat, signal: AbortSignal): Promise<string> {
    if (this.pending) throw new Error('one request at a time per connection');
    if (this.closed) return Promise.reject(new ClosedBeforeReplyError(`${this.closedReason} before the request was sent`));
    let bytes: Buffer;
    try {
      bytes = encodeRequest(payload, framing);
    } catch (error) {
      return Promise.reject(new TransportError((error as Error).message));
    }
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => {
        this.pending = undefined;
        // A late reply would be read as the answer to the next request: drop the connection.
        this.close();
        reject(new TransportError('no complete reply in time'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const settle =
        <T>(fn: (value: T) => void) =>
        (value: T) => {
          signal.removeEventListener('abort', onAbort);
          clearTimeout(this.quietTimer);
          this.pending = undefined;
          fn(value);
        };
      this.pending = { framing, resolve: settle(resolve), reject: settle(reject) };
      if (framing === 'json') {
        this.watcher = new JsonValueWatcher();
        this.watcher.feed(this.buffer());
      }
      this.socket.write(bytes);
      this.deliver();
    });
  }

  close(): void {
    this.closedReason ??= 'the connection was closed after a failed step';
    this.socket.destroy();
  }

  /** Whether the bytes so far may hold the pending reply whole: cheap, looking at `chunk` only. */
  private mayHaveFrame(chunk: Buffer): boolean {
    const framing = this.pending?.framing;
    if (framing === undefined) return false; // kept until a request asks for it
    if (framing === 'ndjson') return chunk.includes(10);
    if (framing === 'json') return this.watcher?.feed(chunk) ?? true;
    return this.received >= this.needed; // raw: 0; a length prefix or Content-Length: once known
  }

  private refuseOversized(pending: PendingReply): void {
    this.keep(Buffer.alloc(0));
    this.close();
    pending.reject(
      new TransportError(
        `the reply grew past max-reply-size (${formatBytes(this.maxReplyBytes)}) without ending; raise max-reply-size if replies this big are right`,
      ),
    );
  }

  private deliver(): void {
    const pending = this.pending;
    if (!pending) return;
    if (pending.framing === 'raw') {
      this.deliverRaw(pending);
      return;
    }
    const frame = takeFrame(this.buffer(), pending.framing);
    if (frame.kind === 'message') {
      this.keep(this.buffer().subarray(frame.consumed));
      pending.resolve(frame.message);
    } else if (frame.kind === 'invalid') {
      // A length prefix's bytes say nothing read as text: its reason says it all.
      const received = typeof pending.framing === 'object' ? '' : `: ${preview(this.buffer().toString('utf8'))}`;
      this.keep(Buffer.alloc(0));
      this.close();
      pending.reject(new TransportError(`${frame.reason}${received}`));
    } else if (this.closed) {
      this.failOnClose(pending);
    } else {
      this.needed = frame.needed ?? 0;
    }
  }

  /** Everything not consumed yet, as one buffer. */
  private buffer(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.received)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private keep(rest: Buffer): void {
    this.chunks = rest.length > 0 ? [rest] : [];
    this.received = rest.length;
    this.needed = 0;
  }

  /** Raw replies have no end marker: whatever arrived once the server goes quiet or closes. */
  private deliverRaw(pending: PendingReply): void {
    clearTimeout(this.quietTimer);
    const take = () => {
      const text = this.buffer().toString('utf8');
      this.keep(Buffer.alloc(0));
      pending.resolve(text);
    };
    if (this.received === 0) {
      if (this.closed) pending.reject(new ClosedBeforeReplyError(`${this.closedReason} without a reply`));
      return;
    }
    if (this.closed) take();
    else this.quietTimer = setTimeout(take, RAW_QUIET_MS);
  }

  private markClosed(reason: string): void {
    this.closedReason ??= reason;
    if (this.pending) this.deliver();
  }

  /** The connection ended mid-reply. A bare number or literal ends with the stream, though. */
  private failOnClose(pending: PendingReply): void {
    const rest = this.buffer().toString('utf8').trim();
    this.keep(Buffer.alloc(0));
    if (rest === '') {
      pending.reject(new ClosedBeforeReplyError(`${this.closedReason} without a reply`));
      return;
    }
    if (pending.framing === 'json' && isJson(rest)) {
      pending.resolve(rest);
      return;
    }
    pending.reject(new TransportError(`${this.closedReason} after an incomplete reply (${Buffer.byteLength(rest)} bytes: ${preview(rest, 80)})`));
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
