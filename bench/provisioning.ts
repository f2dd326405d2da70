import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { execa } from 'execa';
import { provisionBlender } from '../src/blender/provision.js';
import { downloadVerified } from '../src/blender/download.js';
import { startMirror } from '../test/helpers/mirror.js';

const TOP = 'blender-9.9.9-linux-x64';

/**
 * A Blender-sized archive made of real shared libraries (they compress like Blender's own
 * binaries), with a `blender` script on top. Built once and kept in the temp dir.
 */
async function benchArchive(uncompressedMb: number): Promise<{ file: string; sha256: string; bytes: number }> {
  const dir = path.join(os.tmpdir(), 'blender-bg-bench');
  const file = path.join(dir, `${TOP}-${uncompressedMb}mb.tar.xz`);
  if (!existsSync(file)) {
    await mkdir(dir, { recursive: true });
    const source = '/usr/lib/x86_64-linux-gnu';
    const picked: string[] = [];
    let total = 0;
    for (const name of (await readdir(source)).sort()) {
      const info = await lstat(path.join(source, name)).catch(() => undefined); // tar keeps links as links
      if (!info?.isFile() || total > uncompressedMb * 1e6) continue;
      picked.push(name);
      total += info.size;
    }
    const list = path.join(dir, 'files.txt');
    await writeFile(list, picked.join('\n'));
    const script = path.join(dir, 'blender');
    await writeFile(script, '#!/bin/sh\nexec blender "$@"\n', { mode: 0o755 });
    execFileSync('sh', [
      '-c',
      `tar -c -C ${source} -T ${list} --transform 's,^,${TOP}/lib/,' -C ${dir} --transform 's,^lib/blender$,blender,' blender | xz -T2 -1 > ${file}.partial && mv ${file}.partial ${file}`,
    ]);
  }
  const sha256 = createHash('sha256');
  await pipeline(createReadStream(file), sha256);
  return { file, sha256: sha256.digest('hex'), bytes: statSync(file).size };
}

/** Serves one file at `bytesPerSecond`, like a real link would (loopback is far faster). */
async function throttledServer(file: string, bytesPerSecond: number): Promise<{ url: string; close: () => Promise<void> }> {
  // A handler that fails ends the bench's download: nothing to catch here.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  const server = http.createServer(async (_req, res) => {
    res.writeHead(200, { 'content-length': statSync(file).size });
    const started = performance.now();
    let sent = 0;
    for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
      sent += (chunk as Buffer).length;
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
      const ahead = sent / bytesPerSecond - (performance.now() - started) / 1000;
      if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead * 1000));
    }
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}/${path.basename(file)}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The reference: download to a file (hashing), then unpack it. */
async function downloadThenExtract(url: string, dest: string): Promise<void> {
  await mkdir(dest, { recursive: true });
  const archive = path.join(dest, 'archive.tar.xz');
  const hash = createHash('sha256');
  const response = await fetch(url);
  const tap = new Transform({
    transform(chunk: Buffer, _e, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), tap, createWriteStream(archive));
  hash.digest('hex');
  await execa('tar', ['-xJf', archive, '-C', dest]);
  await rm(archive);
}

export interface ColdInstall {
  archiveMb: number;
  linkMbPerSecond: number;
  streamedMs: number;
  sequentialMs: number;
}

/** A cold install both ways, from the same throttled server, alternating, medians. */
export async function coldInstall(uncompressedMb: number, linkMbPerSecond: number, rounds: number): Promise<ColdInstall> {
  const archive = await benchArchive(uncompressedMb);
  const server = await throttledServer(archive.file, linkMbPerSecond * 1e6);
  const work = await mkdtemp(path.join(os.tmpdir(), 'bg-bench-install-'));
  const streamed: number[] = [];
  const sequential: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      let started = performance.now();
      await downloadVerified(server.url, archive.sha256, 'tar.xz', path.join(work, `s${i}`));
      streamed.push(performance.now() - started);
      await rm(path.join(work, `s${i}`), { recursive: true });
      started = performance.now();
      await downloadThenExtract(server.url, path.join(work, `d${i}`));
      sequential.push(performance.now() - started);
      await rm(path.join(work, `d${i}`), { recursive: true });
    }
  } finally {
    await server.close();
    await rm(work, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { archiveMb: archive.bytes / 1e6, linkMbPerSecond, streamedMs: median(streamed), sequentialMs: median(sequential) };
}

/** Time to a ready Blender path when the exact version is already in the tool cache. */
export async function cacheHitMs(rounds: number): Promise<number> {
  const mirror = await startMirror();
  process.env['RUNNER_TOOL_CACHE'] = await mkdtemp(path.join(os.tmpdir(), 'bg-bench-toolcache-'));
  const options = {
    spec: '4.2.3',
    sources: { releaseMirrors: [mirror.releaseUrl], dailyUrl: mirror.dailyUrl, versionsUrl: mirror.versionsUrl },
    cache: true,
    platform: { os: 'linux' as const, arch: 'x64' as const },
    log: () => {},
  };
  try {
    await provisionBlender(options); // the cold one fills the cache
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      const installation = await provisionBlender(options);
      times.push(performance.now() - started);
      if (!installation.cacheHit) throw new Error('expected a cache hit');
    }
    return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  } finally {
    await mirror.close();
  }
}
