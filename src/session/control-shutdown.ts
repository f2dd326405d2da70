import net from 'node:net';
import { controlRequestLine } from './driver-protocol.js';

/**
 * Asks the driver to stop as SIGTERM would, over its control channel: the graceful path
 * where there is no SIGTERM (Windows). Resolves when the request is written or fails.
 */
export function requestDriverShutdown(port: number, token: string, timeoutMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.end(`${controlRequestLine(token, 'shutdown')}\n`);
    });
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
}
