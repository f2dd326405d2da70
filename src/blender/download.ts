import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { execa } from 'execa';
import { get } from './catalog/http.js';
import { NO_PROGRESS, type Progress } from '../progress.js';
import type { ArchiveKind } from './platform.js';

/** `tar` reading an .xz archive from stdin into `dest`: the stream is unpacked as it arrives. */
export function tarCommand(dest: string): string[] {
  return ['tar', '-xJf', '-', '-C', dest];
}

/** The published checksum did not match what arrived: the file is deleted, never kept. */
export class ChecksumMismatchError extends Error {
  override readonly name = 'ChecksumMismatchError';
}

export interface DownloadResult {
  /** where the archive was unpacked (tar.xz), or where the archive file is (zip, dmg) */
  location: string;
  bytes: number;
  sha256: string;
}

/**
 * Downloads one archive, hashing it as it arrives. A .tar.xz is unpacked while it
 * downloads (`tar -xJ` reads the same stream), so the ~300 MB download and the unpacking
 * overlap instead of following each other; zip and dmg cannot be read from a stream and
 * are written to a file. The SHA-256 is checked at the end; on a mismatch, or a download
 * shorter than announced, everything written is deleted and the error thrown.
 */
export async function downloadVerified(
  url: string,
  expectedSha256: string,
  kind: ArchiveKind,
  dest: string,
  progress: (total: number | undefined) => Progress = () => NO_PROGRESS,
): Promise<DownloadResult> {
  await rm(dest, { recursive: true, force: true });
  await mkdir(dest, { recursive: true });
  // One attempt: the caller's loop is the one retry layer for downloads (provision.ts).
  const response = await get(url, { attempts: 1, backoffMs: 0 });
  const announced = Number(response.headers.get('content-length') ?? Number.NaN);
  const hash = createHash('sha256');
  let bytes = 0;
  const shown = progress(Number.isFinite(announced) ? announced : undefined);
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      shown.update(bytes);
      done(null, chunk);
    },
  });
  const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
  const location = kind === 'tar.xz' ? dest : path.join(dest, path.basename(new URL(url).pathname));
  try {
    if (kind === 'tar.xz') {
      const [command, ...args] = tarCommand(dest);
      const tar = execa(command!, args, { stdin: 'pipe', stdout: 'ignore', stderr: 'pipe' });
      await Promise.all([pipeline(body, measure, tar.stdin), tar]);
    } else {
      await pipeline(body, measure, createWriteStream(location));
    }
    if (Number.isFinite(announced) && bytes !== announced) {
      throw new Error(`the download stopped after ${bytes} of ${announced} bytes`);
    }
    const sha256 = hash.digest('hex');
    if (sha256 !== expectedSha256) {
      throw new ChecksumMismatchError(`SHA-256 mismatch for ${url}: published ${expectedSha256}, downloaded ${sha256}`);
    }
    return { location, bytes, sha256 };
  } catch (error) {
    await rm(dest, { recursive: true, force: true });
    throw error;
  } finally {
    shown.end();
  }
}
