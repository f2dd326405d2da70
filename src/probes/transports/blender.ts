import { type ControlOp, type RenderSpec, type Rendered, controlRequestLine } from '../../session/driver-protocol.js';
import { StepError } from '../step-error.js';
import { TcpConnection, TransportError } from './tcp.js';

/** The driver's control channel: where `blender` steps run their Python. */
export interface ControlEndpoint {
  host: string;
  port: number;
  token: string;
}

/** Python raised inside Blender: the step fails with its exception line, its traceback beside it; a retry may pass. */
class BlenderCodeError extends StepError {
  override readonly name = 'BlenderCodeError';

  constructor(
    message: string,
    readonly traceback: string,
  ) {
    super(message, true, traceback);
  }
}

interface ControlReply {
  ok: boolean;
  value?: unknown;
  error?: string;
  traceback?: string;
  /** render: an engine that cannot run here, said before anything rendered */
  refused?: boolean;
}

/** The render op refused: the engine cannot run in this Blender (no EGL library, no such engine, no camera). */
class RenderRefusedError extends StepError {
  override readonly name = 'RenderRefusedError';

  constructor(message: string) {
    super(message, false);
  }
}

/**
 * One connection to the driver for the whole run (loopback, token in every request),
 * newline-delimited JSON both ways. Code runs on Blender's main thread.
 */
export class BlenderControl {
  private connection: TcpConnection | undefined;

  constructor(
    private readonly endpoint: ControlEndpoint,
    private readonly maxReplyBytes?: number,
  ) {}

  async run(code: string, mode: 'eval' | 'exec', signal: AbortSignal): Promise<unknown> {
    const reply = await this.request(mode, { code }, signal);
    if (!reply.ok) throw new BlenderCodeError(`Python raised ${reply.error ?? 'an error'}`, reply.traceback ?? '');
    return reply.value ?? null;
  }

  /**
   * A driver op that answers with a value (reload, stats) within `timeoutMs`; the driver's own
   * failure is thrown as a BlenderCodeError.
   */
  async value<T>(op: 'reload' | 'stats', timeoutMs: number, signal?: AbortSignal): Promise<T> {
    const limit = AbortSignal.timeout(timeoutMs);
    const reply = await this.request(op, {}, signal ? AbortSignal.any([signal, limit]) : limit);
    if (!reply.ok) throw new BlenderCodeError(`the driver's ${op} failed: ${reply.error ?? 'an error'}`, reply.traceback ?? '');
    return reply.value as T;
  }

  /** A snapshot render on Blender's main thread, written to `output` (a PNG). */
  async render(spec: RenderSpec, output: string, signal: AbortSignal): Promise<Rendered> {
    const reply = await this.request('render', { spec, output }, signal);
    if (reply.refused) throw new RenderRefusedError(reply.error ?? 'the render was refused');
    if (!reply.ok) throw new BlenderCodeError(`the render raised ${reply.error ?? 'an error'}`, reply.traceback ?? '');
    return reply.value as Rendered;
  }

  close(): void {
    this.connection?.close();
  }

  private async request(op: ControlOp, fields: Record<string, unknown>, signal: AbortSignal): Promise<ControlReply> {
    if (!this.connection || this.connection.closed) {
      this.connection = await TcpConnection.open(this.endpoint.host, this.endpoint.port, signal, this.maxReplyBytes);
    }
    const text = await this.connection.request(controlRequestLine(this.endpoint.token, op, fields), 'ndjson', signal);
    try {
      return JSON.parse(text) as ControlReply;
    } catch {
      throw new TransportError(`the driver's control channel answered with something that is not JSON: ${text.slice(0, 80)}`);
    }
  }
}
