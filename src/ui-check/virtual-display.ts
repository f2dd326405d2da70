import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatDuration } from '../duration.js';
import { UserError } from '../errors.js';
import type { BlenderLog } from '../session/blender-log.js';
import { CommandGroup, commandLeftovers, descendantsOfCommand } from '../session/command-group.js';
import { describeExit } from '../session/launch.js';
import type { LeftoverProcess } from '../session/leftovers.js';
import { xauthorityEntry } from './xauthority.js';

/** The screen Blender's window opens on: big enough for its default layout, as Blender's own UI tests use. */
export const SCREEN = { width: 1280, height: 800, depth: 24 };

export interface VirtualDisplayOptions {
  xvfb: string;
  /** a private folder of the run's: the cookie file and the framebuffer file go here */
  dir: string;
  /** the run-id variable's value its process carries (the leftover scan's) */
  tag: string;
  log: BlenderLog;
  timeoutMs: number;
  env: Record<string, string>;
}

export interface DisplayStop {
  /** how it ended before it was asked to, if it did */
  endedEarly: string | undefined;
  leftovers: LeftoverProcess[];
  unkillable: LeftoverProcess[];
}

/**
 * The run's own X display: Xvfb in its own process group, on a display number it picks itself
 * (-displayfd: never one another run holds), no TCP listener, a cookie only this run's Blender
 * is given, and its screen in a file (-fbdir) the UI check's pictures are read from.
 */
export class VirtualDisplay {
  private constructor(
    private readonly group: CommandGroup,
    readonly display: string,
    readonly xauthority: string,
    readonly framebuffer: string,
    private readonly tag: string,
  ) {}

  static async start(options: VirtualDisplayOptions): Promise<VirtualDisplay> {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    const xauthority = path.join(options.dir, 'xauthority');
    await writeFile(xauthority, xauthorityEntry(randomBytes(16)), { mode: 0o600 });
    const { width, height, depth } = SCREEN;
    const args = ['-displayfd', '3', '-screen', '0', `${width}x${height}x${depth}`, '-nolisten', 'tcp', '-auth', xauthority, '-fbdir', options.dir];
    const group = CommandGroup.start({ command: { file: options.xvfb, args }, env: options.env, tag: options.tag, log: options.log, readyPipe: true });
    const number = await displayNumber(group, options);
    return new VirtualDisplay(group, `:${number}`, xauthority, path.join(options.dir, 'Xvfb_screen0'), options.tag);
  }

  /** What a Blender needs to open its window here, with Mesa's software OpenGL whatever GPU the machine has. */
  environment(): Record<string, string> {
    return {
      DISPLAY: this.display,
      XAUTHORITY: this.xauthority,
      // Mesa's llvmpipe, never a GPU driver found by chance (on a machine with one, it would
      // draw on this display only if its X server were ours, which it is not)
      LIBGL_ALWAYS_SOFTWARE: '1',
      __GLX_VENDOR_LIBRARY_NAME: 'mesa',
    };
  }

  /** SIGTERM to its group, SIGKILL after the grace; then whatever carries its tag, killed. */
  async stop(graceMs: number): Promise<DisplayStop> {
    const below = await descendantsOfCommand(this.group);
    const stopped = await this.group.stop(graceMs);
    const { leftovers, unkillable } = await commandLeftovers(this.tag, this.group.pid, below);
    return { endedEarly: stopped.early && describeExit(stopped.early), leftovers, unkillable };
  }
}

/** The number Xvfb writes on descriptor 3 once it accepts clients; raced against its exit and the timeout. */
async function displayNumber(group: CommandGroup, options: VirtualDisplayOptions): Promise<number> {
  let said = '';
  group.readyPipe?.setEncoding('utf8');
  group.readyPipe?.on('data', (chunk: string) => (said += chunk));
  const deadline = Date.now() + options.timeoutMs;
  while (!/^\d+\n/.test(said)) {
    if (group.hasExited() || Date.now() > deadline) {
      const ended = group.hasExited() ? describeExit(await group.exited) : `did not accept clients within ${formatDuration(options.timeoutMs)}`;
      await group.stop(1000);
      await options.log.close();
      const last = options.log.tail().trim().split('\n').filter(Boolean).at(-1);
      throw new UserError(`The virtual display (${options.xvfb}) ${ended}${last ? `: ${last}` : ''}; its log: ${options.log.path}.`);
    }
    await sleep(10);
  }
  return Number(said.trim());
}
