import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { which } from '@actions/io';
import { afterEach, describe, expect, it } from 'vitest';
import { BlenderLog } from '../../../src/session/blender-log.js';
import { listProcesses } from '../../../src/session/process-table.js';
import { readXwd } from '../../../src/ui-check/screenshots.js';
import { SCREEN, VirtualDisplay } from '../../../src/ui-check/virtual-display.js';
import { COOKIE_NAME } from '../../../src/ui-check/xauthority.js';

const XVFB = await which('Xvfb', false);
const inCi = process.env['CI'] === 'true';

/** An X11 connection setup (little-endian), with or without a cookie: the server's first byte (0 refused, 1 accepted). */
async function connectionStatus(display: string, cookie: Buffer | undefined): Promise<number> {
  const pad = (b: Buffer) => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
  const name = cookie ? Buffer.from(COOKIE_NAME, 'latin1') : Buffer.alloc(0);
  const data = cookie ?? Buffer.alloc(0);
  const head = Buffer.alloc(12);
  head.write('l', 0, 'latin1');
  head.writeUInt16LE(11, 2);
  head.writeUInt16LE(0, 4);
  head.writeUInt16LE(name.length, 6);
  head.writeUInt16LE(data.length, 8);
  const socket = net.connect({ path: `/tmp/.X11-unix/X${display.slice(1)}` });
  return new Promise((resolve, reject) => {
    socket.once('data', (reply) => {
      socket.destroy();
      resolve(reply[0]!);
    });
    socket.once('error', reject);
    socket.write(Buffer.concat([head, pad(name), pad(data)]));
  });
}

/** The cookie in an Xauthority file of one entry: its last field. */
async function cookieIn(file: string): Promise<Buffer> {
  const bytes = await readFile(file);
  return bytes.subarray(bytes.length - 16);
}

describe.skipIf(!XVFB && !inCi)('VirtualDisplay (a real Xvfb)', () => {
  let display: VirtualDisplay | undefined;
  afterEach(async () => {
    await display?.stop(2000);
    display = undefined;
  });

  async function start(): Promise<VirtualDisplay> {
    if (!XVFB) throw new Error('CI=true and Xvfb is not on PATH: .ci/run installs xvfb');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-display-'));
    display = await VirtualDisplay.start({
      xvfb: XVFB,
      dir: path.join(dir, 'display'),
      tag: `display-test-${process.pid}`,
      log: new BlenderLog(path.join(dir, 'xvfb.log'), () => {}),
      timeoutMs: 10_000,
      env: { PATH: process.env['PATH'] ?? '' },
    });
    return display;
  }

  it("takes a display number of its own, and only a client with the run's cookie is let in", async () => {
    const started = await start();
    expect(started.display).toMatch(/^:\d+$/);
    expect(await connectionStatus(started.display, undefined)).toBe(0);
    expect(await connectionStatus(started.display, Buffer.alloc(16, 7))).toBe(0);
    expect(await connectionStatus(started.display, await cookieIn(started.xauthority))).toBe(1);
    expect(started.environment()).toMatchObject({ DISPLAY: started.display, XAUTHORITY: started.xauthority, LIBGL_ALWAYS_SOFTWARE: '1' });
  });

  it('listens on no TCP port, and keeps its screen in a file the pictures are read from', async () => {
    const started = await start();
    const port = (6000 + Number(started.display.slice(1))).toString(16).toUpperCase().padStart(4, '0');
    for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
      const listening = (await readFile(table, 'utf8').catch(() => ''))
        .split('\n')
        .filter((l) => / 0A /.test(l))
        .map((l) => l.trim().split(/\s+/)[1]!.split(':')[1]);
      expect(listening).not.toContain(port);
    }
    const screen = readXwd(await readFile(started.framebuffer));
    expect(screen).toMatchObject({ width: SCREEN.width, height: SCREEN.height });
  });

  it('stopped, it and its socket are gone', async () => {
    const started = await start();
    const socket = `/tmp/.X11-unix/X${started.display.slice(1)}`;
    expect(existsSync(socket)).toBe(true);
    const stop = await started.stop(2000);
    display = undefined;
    expect(stop).toEqual({ endedEarly: undefined, leftovers: [], unkillable: [] });
    expect(existsSync(socket)).toBe(false);
    expect((await listProcesses()).filter((p) => p.command.includes(started.xauthority))).toEqual([]);
  });

  it('an Xvfb that cannot start is one sentence naming it and its log', async () => {
    if (!XVFB) throw new Error('CI=true and Xvfb is not on PATH');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-display-'));
    const log = new BlenderLog(path.join(dir, 'xvfb.log'), () => {});
    // a "display server" that exits at once, having said nothing on descriptor 3
    await expect(VirtualDisplay.start({ xvfb: '/bin/false', dir: path.join(dir, 'display'), tag: 'x', log, timeoutMs: 5000, env: {} })).rejects.toThrow(
      /^The virtual display \(\/bin\/false\) exited with code 1; its log: .*xvfb\.log\.$/,
    );
  });
});
