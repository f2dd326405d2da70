import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packagesFolderName, readRequirements } from '../../../src/blender/python-packages.js';

const LINUX = { os: 'linux', arch: 'x64' } as const;

describe('python-packages: the requirements and the folder they go into', () => {
  it('-r files are made absolute and must exist; other lines pass as pip reads them', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-req-'));
    await writeFile(path.join(dir, 'requirements-test.txt'), 'pytest\n');
    const requirements = await readRequirements(['pytest-mock==3.14', '-r requirements-test.txt', '--extra-index-url https://example.com/simple'], dir);
    expect(requirements.text).toBe(`pytest-mock==3.14\n-r ${path.join(dir, 'requirements-test.txt')}\n--extra-index-url https://example.com/simple\n`);
    await expect(readRequirements(['-r missing.txt'], dir)).rejects.toThrow(`Input 'python-packages': -r missing.txt does not exist (relative to ${dir}).`);
  });

  it('one folder per Blender, Python (major.minor), platform and requirements, -r contents included', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-req-'));
    const file = path.join(dir, 'r.txt');
    await writeFile(file, 'pytest\n');
    const before = await readRequirements(['-r r.txt'], dir);
    const name = packagesFolderName('4.2.3', '3.11.9', LINUX, before);
    expect(name).toMatch(/^blender-4\.2\.3-py3\.11-linux-x64-[0-9a-f]{16}$/);
    expect(packagesFolderName('4.2.3', '3.11.2', LINUX, before)).toBe(name);
    expect(packagesFolderName('4.2.4', '3.11.9', LINUX, before)).not.toBe(name);
    await writeFile(file, 'pytest\nnumpy\n');
    expect(packagesFolderName('4.2.3', '3.11.9', LINUX, await readRequirements(['-r r.txt'], dir))).not.toBe(name);
  });
});
