import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChecksumMismatchError, downloadVerified, tarCommand } from '../../../src/blender/download.js';
import { executableIn } from '../../../src/blender/platform.js';
import { checkBlenderRuns } from '../../../src/blender/shared-libraries.js';
import { unpackArchive } from '../../../src/blender/unpack.js';

async function serveFile(bytes: Buffer): Promise<{ url: string; close: () => void }> {
  const server = http.createServer((_req, res) => res.writeHead(200, { 'content-length': bytes.length }).end(bytes));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/blender-4.2.3-windows-x64.zip`, close: () => server.close() };
}

const hasCommand = (name: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`]);
    return true;
  } catch {
    return false;
  }
};

describe('unpacking', () => {
  it('tar reads the download from stdin', () => {
    expect(tarCommand('/t/out')).toEqual(['tar', '-xJf', '-', '-C', '/t/out']);
  });

  it('a Windows zip: downloaded to a file, verified, unzipped, blender.exe where expected, the zip removed', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'bg-zip-'));
    await mkdir(path.join(work, 'blender-4.2.3-windows-x64'));
    await writeFile(path.join(work, 'blender-4.2.3-windows-x64', 'blender.exe'), 'MZ');
    await writeFile(path.join(work, 'blender-4.2.3-windows-x64', 'blender-launcher.exe'), 'MZ');
    execFileSync('zip', ['-qr', 'b.zip', 'blender-4.2.3-windows-x64'], { cwd: work });
    const bytes = await readFile(path.join(work, 'b.zip'));
    const server = await serveFile(bytes);
    try {
      const dest = path.join(work, 'out');
      const sha = createHash('sha256').update(bytes).digest('hex');
      const result = await downloadVerified(server.url, sha, 'zip', dest);
      await unpackArchive('zip', result.location, dest);
      expect(existsSync(executableIn(dest, 'blender-4.2.3-windows-x64', 'windows'))).toBe(true);
      expect(existsSync(result.location)).toBe(false);
      await expect(downloadVerified(server.url, '0'.repeat(64), 'zip', path.join(work, 'bad'))).rejects.toThrow(ChecksumMismatchError);
      expect(existsSync(path.join(work, 'bad'))).toBe(false);
    } finally {
      server.close();
      await rm(work, { recursive: true, force: true });
    }
  });
});

describe('checking that a freshly installed Blender starts', () => {
  it('a Blender whose --version fails says so, with its last words', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-broken-'));
    const exe = path.join(dir, 'blender');
    await writeFile(exe, '#!/bin/sh\necho "Fatal: no GPU in a box" >&2\nexit 3\n', { mode: 0o755 });
    await expect(checkBlenderRuns(exe, '4.2.3')).rejects.toThrow("Blender 4.2.3 was installed but 'blender --version' failed: Fatal: no GPU in a box.");
  });

  // A real dynamically linked program whose library is gone, as on a bare runner.
  it.runIf(process.platform === 'linux' && hasCommand('cc'))('names the missing shared library and how to install it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-ldd-'));
    await writeFile(path.join(dir, 'fake.c'), 'int fake(void) { return 0; }\n');
    await writeFile(path.join(dir, 'main.c'), 'int fake(void);\nint main(void) { return fake(); }\n');
    execFileSync('cc', ['-shared', '-fPIC', '-o', 'libbgfake.so.1', 'fake.c'], { cwd: dir });
    execFileSync('cc', ['-o', 'blender', 'main.c', '-L.', '-l:libbgfake.so.1'], { cwd: dir });
    await rm(path.join(dir, 'libbgfake.so.1'));
    await expect(checkBlenderRuns(path.join(dir, 'blender'), '4.2.3')).rejects.toThrow(
      'Blender 4.2.3 cannot start: this machine lacks the shared library libbgfake.so.1; find the package for libbgfake.so.1.',
    );
  });
});
