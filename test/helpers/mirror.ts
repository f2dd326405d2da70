import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A local stand-in for download.blender.org, builder.blender.org and docs.blender.org
 * (these machines reach no internet). It serves the same paths and formats: autoindex
 * HTML listings, sha256sum files, the builder's JSON, versions.json, and real archives
 * whose `blender` is a script that runs the real local Blender.
 */
export interface Mirror {
  base: string;
  releaseUrl: string;
  dailyUrl: string;
  versionsUrl: string;
  /** every request path, in order: to prove a cache hit touched no network */
  requests: string[];
  /** what to do the next times a path is asked for, in order */
  faults: Map<string, Fault[]>;
  /** archives this mirror serves with real content: path → bytes */
  archives: Map<string, Buffer>;
  close(): Promise<void>;
}

/** status: answer that; truncate: half the body, then drop the connection; corrupt: flip the
 * last byte; wrong-hash: a checksum file whose hashes are all zeros. */
export type Fault = { status: number; headers?: Record<string, string> } | 'truncate' | 'corrupt' | 'wrong-hash';

/** Versions in the release listing: several eras of file naming, patch numbers past 9. */
export const RELEASES: Record<string, string[]> = {
  '2.83': ['2.83.0', '2.83.20'],
  '2.93': ['2.93.18'],
  '3.3': ['3.3.9', '3.3.16'],
  '3.6': ['3.6.0', '3.6.23'],
  '4.2': ['4.2.0', '4.2.3', '4.2.9', '4.2.10'],
  '4.4': ['4.4.3'],
  '4.5': ['4.5.1', '4.5.3'],
  '5.0': ['5.0.0', '5.0.1'],
};

/** Linux archives with real content; the other names are in the listings only. */
export const REAL_ARCHIVES = ['4.2.3', '4.2.10', '4.5.3', '5.0.1'];

export const VERSIONS_JSON = {
  dev: 'Main (5.1)',
  latest: 'Latest (5.0)',
  '5.0': '5.0',
  '4.5': '4.5 (LTS)',
  '4.4': '4.4',
  '4.2': '4.2 (LTS)',
  '3.6': '3.6 (LTS)',
  '3.3': '3.3 (LTS)',
  '2.93': '2.93 (LTS)',
};

function fileNames(version: string): string[] {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  const at = major * 100 + minor;
  if (at < 293) return [`blender-${version}-linux64.tar.xz`, `blender-${version}-macOS.dmg`, `blender-${version}-windows64.zip`];
  const names = [`blender-${version}-linux-x64.tar.xz`, `blender-${version}-windows-x64.zip`];
  if (at >= 300) names.push(`blender-${version}-macos-arm64.dmg`);
  if (at <= 405) names.push(`blender-${version}-macos-x64.dmg`);
  if (at >= 403) names.push(`blender-${version}-windows-arm64.zip`);
  return names;
}

function listing(title: string, links: string[]): string {
  const rows = links.map((l) => `<a href="${encodeURIComponent(l).replace(/%2F/g, '/')}">${l}</a>                  21-Nov-2026 05:00    -`).join('\n');
  return `<html>\n<head><title>Index of ${title}</title></head>\n<body>\n<h1>Index of ${title}</h1><hr><pre><a href="../">../</a>\n${rows}\n</pre><hr></body>\n</html>\n`;
}

/** A .tar.xz whose top folder holds `blender`, a script that runs a real Blender. */
async function buildTarXz(workDir: string, topFolder: string, realBlender: string, fillerBytes = 0): Promise<Buffer> {
  const folder = path.join(workDir, topFolder);
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, 'blender'), `#!/bin/sh\nexec "${realBlender}" "$@"\n`, { mode: 0o755 });
  await writeFile(path.join(folder, 'readme.html'), '<p>a stand-in Blender for tests</p>\n');
  // Random bytes do not compress: the archive is as big as asked, for a download that takes time.
  if (fillerBytes > 0) await writeFile(path.join(folder, 'filler.bin'), randomBytes(fillerBytes));
  const archive = path.join(workDir, `${topFolder}.tar.xz`);
  execFileSync('tar', ['-cJf', archive, '-C', workDir, topFolder]);
  return readFile(archive);
}

/** The body in pieces, ten a second, at `bytesPerSecond`. */
function sendThrottled(res: http.ServerResponse, bytes: Buffer, bytesPerSecond: number): void {
  const piece = Math.max(1, Math.floor(bytesPerSecond / 10));
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    const next = bytes.subarray(sent, sent + piece);
    sent += next.length;
    if (sent >= bytes.length) {
      clearInterval(timer);
      res.end(next);
    } else {
      res.write(next);
    }
  }, 100);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * `blender`: the real Blender the archives' stand-in runs (default: blender on PATH).
 * `fillerBytes` makes every archive that much bigger; `bytesPerSecond` sends archives no faster.
 */
export async function startMirror(options: { blender?: string; fillerBytes?: number; bytesPerSecond?: number } = {}): Promise<Mirror> {
  const realBlender = options.blender ?? execFileSync('sh', ['-c', 'command -v blender || echo /usr/bin/blender']).toString().trim();
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'bg-mirror-'));
  const archives = new Map<string, Buffer>();
  for (const version of REAL_ARCHIVES) {
    const name = `blender-${version}-linux-x64`;
    archives.set(
      `/release/Blender${version.split('.').slice(0, 2).join('.')}/${name}.tar.xz`,
      await buildTarXz(workDir, name, realBlender, options.fillerBytes),
    );
  }
  const dailyName = 'blender-5.1.0-alpha+main.6e4e1c1c7c9b-linux.x86_64-release';
  const dailyName45 = 'blender-4.5.4-candidate+v45.a1b2c3d4e5f6-linux.x86_64-release';
  archives.set(`/daily/${dailyName}.tar.xz`, await buildTarXz(workDir, dailyName, realBlender));
  archives.set(`/daily/${dailyName45}.tar.xz`, await buildTarXz(workDir, dailyName45, realBlender));

  const requests: string[] = [];
  const faults = new Map<string, Fault[]>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://mirror');
    requests.push(url.pathname + url.search);
    const fault = faults.get(url.pathname)?.shift();
    if (fault && typeof fault === 'object') {
      res.writeHead(fault.status, fault.headers).end();
      return;
    }
    const body = route(url, base);
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>404 Not Found</h1>');
      return;
    }
    const bytes =
      fault === 'corrupt'
        ? Buffer.concat([body.bytes.subarray(0, -1), Buffer.from([body.bytes.at(-1)! ^ 0xff])])
        : fault === 'wrong-hash'
          ? Buffer.from(body.bytes.toString().replace(/^[0-9a-f]{64}/gm, '0'.repeat(64)))
          : body.bytes;
    res.writeHead(200, { 'content-type': body.type, 'content-length': bytes.length });
    if (fault === 'truncate') {
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
      return;
    }
    if (options.bytesPerSecond && archives.has(url.pathname)) {
      sendThrottled(res, bytes, options.bytesPerSecond);
      return;
    }
    res.end(bytes);
  });
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;

  function route(url: URL, origin: string): { bytes: Buffer; type: string } | undefined {
    const text = (s: string, type = 'text/html') => ({ bytes: Buffer.from(s), type });
    const p = url.pathname;
    if (p === '/release/')
      return text(
        listing(
          '/release/',
          Object.keys(RELEASES).map((s) => `Blender${s}/`),
        ),
      );
    const folder = /^\/release\/Blender(\d+\.\d+)\/$/.exec(p);
    if (folder) {
      const versions = RELEASES[folder[1]!];
      if (!versions) return undefined;
      return text(
        listing(
          p,
          versions.flatMap((v) => [...fileNames(v), `blender-${v}.sha256`]),
        ),
      );
    }
    const checksum = /^\/release\/Blender(\d+\.\d+)\/blender-(\d+\.\d+\.\d+)\.sha256$/.exec(p);
    if (checksum) {
      const lines = fileNames(checksum[2]!).map((name) => {
        const real = archives.get(`/release/Blender${checksum[1]}/${name}`);
        return `${real ? sha256(real) : sha256(Buffer.from(name))}  ${name}`;
      });
      return text(`${lines.join('\n')}\n`, 'text/plain');
    }
    if (archives.has(p)) return { bytes: archives.get(p)!, type: 'application/x-xz' };
    const dailySum = /^(\/daily\/.+)\.sha256$/.exec(p);
    if (dailySum && archives.has(dailySum[1]!)) return text(`${sha256(archives.get(dailySum[1]!)!)}  ${path.basename(dailySum[1]!)}\n`, 'text/plain');
    if (p === '/daily/' && url.searchParams.get('format') === 'json') return text(JSON.stringify(dailyListing(origin)), 'application/json');
    if (p === '/versions.json') return text(JSON.stringify(VERSIONS_JSON), 'application/json');
    return undefined;
  }

  function dailyListing(origin: string) {
    const entry = (
      name: string,
      version: string,
      risk: string,
      branch: string,
      hash: string,
      platform: string,
      architecture: string,
      ext: string,
      mtime: number,
    ) => ({
      url: `${origin}/daily/${name}.${ext}`,
      app: 'Blender',
      version,
      risk_id: risk,
      branch,
      patch: null,
      hash,
      platform,
      architecture,
      bitness: 64,
      file_mtime: mtime,
      file_name: `${name}.${ext}`,
      file_size: 1,
      file_extension: ext,
      release_cycle: risk,
    });
    return [
      entry(dailyName, '5.1.0', 'alpha', 'main', '6e4e1c1c7c9b', 'linux', 'x86_64', 'tar.xz', 1_795_000_000),
      entry(dailyName, '5.1.0', 'alpha', 'main', '6e4e1c1c7c9b', 'linux', 'x86_64', 'tar.xz.sha256', 1_795_000_000),
      entry('blender-5.1.0-alpha+main.0123456789ab-linux.x86_64-release', '5.1.0', 'alpha', 'main', '0123456789ab', 'linux', 'x86_64', 'tar.xz', 1_794_000_000),
      entry(dailyName45, '4.5.4', 'candidate', 'v45', 'a1b2c3d4e5f6', 'linux', 'x86_64', 'tar.xz', 1_795_000_000),
      entry('blender-5.1.0-alpha+main.6e4e1c1c7c9b-darwin.arm64-release', '5.1.0', 'alpha', 'main', '6e4e1c1c7c9b', 'darwin', 'arm64', 'dmg', 1_795_000_000),
      entry('blender-5.1.0-alpha+main.6e4e1c1c7c9b-windows.amd64-release', '5.1.0', 'alpha', 'main', '6e4e1c1c7c9b', 'windows', 'x86_64', 'zip', 1_795_000_000),
    ];
  }

  return {
    base,
    releaseUrl: `${base}/release`,
    dailyUrl: `${base}/daily/?format=json&v=1`,
    versionsUrl: `${base}/versions.json`,
    requests,
    faults,
    archives,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
