import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { Companion } from '../../../src/companion/companion.js';
import { freePort } from '../../helpers/ports.js';

// Real processes (a shell and a sleep), no Blender: the companion's own start and stop.
describe('Companion', () => {
  it('one that never opens its port: one sentence at startup-timeout, and its whole group stopped all the same', async () => {
    const port = await freePort();
    const sleep = `sleep ${200 + (port % 700)}`; // a length of its own, to find it by
    const lines: string[] = [];
    const options = {
      command: `echo starting; ${sleep}; echo never`,
      env: { PATH: process.env['PATH'] ?? '' },
      port,
      host: '127.0.0.1',
      tag: `unit-companion-${port}`,
      logFile: path.join(await mkdtemp(path.join(os.tmpdir(), 'bg-companion-')), 'companion.log'),
      onLine: (line: string) => lines.push(line),
      readyTimeoutMs: 300,
    };
    const companion = Companion.start(options);
    await expect(companion.ready(options, undefined)).rejects.toThrow(
      `The companion (echo starting; ${sleep}; echo never) did not accept connections on 127.0.0.1:${port} within 300ms (startup-timeout).`,
    );
    expect((await execa('pgrep', ['-f', `^${sleep}$`], { reject: false })).stdout).not.toBe('');
    const end = await companion.stop(2000);
    expect(end).toMatchObject({ endedEarly: undefined, killed: false, tail: expect.stringContaining('starting') });
    expect((await execa('pgrep', ['-f', `^${sleep}$`], { reject: false })).stdout).toBe('');
    expect(lines).toEqual(['starting']);
  });

  it('one that exits first: how, before its port was waited for in vain', async () => {
    const port = await freePort();
    const options = {
      command: 'exit 4',
      env: { PATH: process.env['PATH'] ?? '' },
      port,
      host: '127.0.0.1',
      tag: `unit-companion-${port}`,
      logFile: path.join(await mkdtemp(path.join(os.tmpdir(), 'bg-companion-')), 'companion.log'),
      onLine: () => {},
      readyTimeoutMs: 10_000,
    };
    const companion = Companion.start(options);
    const started = performance.now();
    await expect(companion.ready(options, undefined)).rejects.toThrow(
      `The companion (exit 4) exited with code 4 before it accepted connections on 127.0.0.1:${port}.`,
    );
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await companion.stop(1000)).toMatchObject({ endedEarly: 'exited with code 4' });
  });
});
