import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FIXTURES } from './fixture-run.js';

const SOURCES = path.join(FIXTURES, 'python-packages');

/** The fixture packages: distribution name, its import package, what it requires. */
export const INDEX_PACKAGES = [
  { name: 'bgfixture-greeting', module: 'bgfixture_greeting', requires: [] as string[] },
  { name: 'bgfixture-party', module: 'bgfixture_party', requires: ['bgfixture-greeting'] },
];

export interface PythonIndex {
  /** PIP_INDEX_URL for it */
  url: string;
  /** every path pip asked for */
  requests: string[];
  close(): Promise<void>;
}

/**
 * A PEP 503 simple index over loopback serving pure-Python wheels built here (a wheel is a zip
 * with a dist-info folder): what `python-packages` installs from in the tests, with no network.
 */
export async function startPythonIndex(): Promise<PythonIndex> {
  const wheels = new Map<string, { file: string; bytes: Buffer }[]>();
  for (const pkg of INDEX_PACKAGES) {
    const bytes = await buildWheel(pkg.module, pkg.name, pkg.requires);
    wheels.set(pkg.name, [{ file: `${pkg.module}-1.0.0-py3-none-any.whl`, bytes }]);
  }
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    const url = request.url ?? '/';
    requests.push(url);
    const project = /^\/simple\/([^/]+)\/$/.exec(url)?.[1];
    const file = /^\/files\/([^/]+)$/.exec(url)?.[1];
    if (project && wheels.has(project)) {
      const links = wheels
        .get(project)!
        .map((w) => `<a href="../../files/${w.file}#sha256=${createHash('sha256').update(w.bytes).digest('hex')}">${w.file}</a>`);
      response.writeHead(200, { 'content-type': 'text/html' }).end(`<!DOCTYPE html><html><body>${links.join('\n')}</body></html>`);
      return;
    }
    const wheel = [...wheels.values()].flat().find((w) => w.file === file);
    if (wheel) {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': wheel.bytes.length }).end(wheel.bytes);
      return;
    }
    response.writeHead(404).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/simple`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function buildWheel(module: string, name: string, requires: string[]): Promise<Buffer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-wheel-'));
  await cp(path.join(SOURCES, module), path.join(dir, module), { recursive: true });
  const distInfo = path.join(dir, `${module}-1.0.0.dist-info`);
  await mkdir(distInfo);
  await writeFile(
    path.join(distInfo, 'METADATA'),
    ['Metadata-Version: 2.1', `Name: ${name}`, 'Version: 1.0.0', ...requires.map((r) => `Requires-Dist: ${r}`), ''].join('\n'),
  );
  await writeFile(path.join(distInfo, 'WHEEL'), 'Wheel-Version: 1.0\nGenerator: blender-bg-action tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n');
  await writeFile(
    path.join(distInfo, 'RECORD'),
    [`${module}/__init__.py,,`, ...['METADATA', 'WHEEL', 'RECORD'].map((f) => `${module}-1.0.0.dist-info/${f},,`), ''].join('\n'),
  );
  const wheel = path.join(dir, 'out.whl');
  execFileSync('zip', ['-qrX', wheel, module, `${module}-1.0.0.dist-info`], { cwd: dir });
  return readFile(wheel);
}
