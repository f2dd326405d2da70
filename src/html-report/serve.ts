import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.png': 'image/png',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** A report folder served on localhost: its files only (nothing above it), read-only. */
export interface ServedReport {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `folder` on 127.0.0.1 (`port`: 0 for a free one), as `playwright show-report` does: the
 * page works opened as a file too; a server is for a browser that will not open files, or for
 * another machine over a tunnel. A path outside the folder, or not a file, is 404.
 */
export async function serveReport(folder: string, port = 0): Promise<ServedReport> {
  const root = path.resolve(folder);
  const server = http.createServer((request, response) => {
    void (async () => {
      const wanted = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
      const file = path.resolve(root, `.${wanted.endsWith('/') ? `${wanted}index.html` : wanted}`);
      const inside = file === root || file.startsWith(root + path.sep);
      const found = inside && request.method === 'GET' ? await stat(file).catch(() => undefined) : undefined;
      if (!found?.isFile()) {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
        return;
      }
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      createReadStream(file).pipe(response);
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
