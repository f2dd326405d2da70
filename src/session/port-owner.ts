import { readFile, readdir, readlink } from 'node:fs/promises';
import net from 'node:net';
import { UserError } from '../errors.js';
import { truncate } from '../text.js';
import { descendantsOf } from './leftovers.js';

/** A process holding a listening socket. */
interface PortHolder {
  pid: number;
  command: string;
}

/**
 * The inodes of the sockets listening on TCP `port` (any local address, IPv4 or IPv6), from
 * /proc/net/tcp{,6}. Linux only: undefined elsewhere.
 */
async function listeningInodes(port: number): Promise<Set<string> | undefined> {
  if (process.platform !== 'linux') return undefined;
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const row of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      const fields = row.trim().split(/\s+/);
      const localPort = Number.parseInt(fields[1]?.split(':')[1] ?? '', 16);
      if (localPort === port && fields[3] === '0A' /* LISTEN */ && fields[9]) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/**
 * The processes among `pids` whose /proc/PID/fd links to one of the sockets. A process of
 * another user cannot be looked into: a socket of theirs has no holder here.
 */
async function holdersOf(inodes: Set<string>, pids: number[]): Promise<PortHolder[]> {
  const holders: PortHolder[] = [];
  for (const pid of pids) {
    if (await holdsSocket(pid, inodes)) holders.push({ pid, command: await commandOf(pid) });
  }
  return holders;
}

async function commandOf(pid: number): Promise<string> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return cmdline.split('\0').filter(Boolean).join(' ') || '?';
}

async function everyPid(): Promise<number[]> {
  return (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
}

async function holdsSocket(pid: number, inodes: Set<string>): Promise<boolean> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode && inodes.has(inode)) return true;
  }
  return false;
}

function describeHolders(holders: PortHolder[]): string {
  if (holders.length === 0) return "a process this user cannot look into (another user's)";
  // One line: a command line may hold newlines (python3 -c "…"), and a sentence must not.
  const oneLine = (command: string) => truncate(command.replace(/\s+/g, ' ').trim(), 120);
  return holders.map((h) => `pid ${h.pid} (${oneLine(h.command)})`).join(', ');
}

/**
 * Before launch: nothing may be listening on the add-on's port yet, or the probes could talk
 * to a stranger's server. Everywhere a connection attempt tells; on Linux the holder is named.
 */
export async function requirePortFree(host: string, port: number): Promise<void> {
  const inodes = await listeningInodes(port);
  const taken = inodes ? inodes.size > 0 : await acceptsConnections(host, port);
  if (!taken) return;
  const who = inodes ? describeHolders(await holdersOf(inodes, await everyPid())) : 'another process';
  throw new UserError(
    `Port ${port} is already in use by ${who} before Blender started; the add-on's port must be Blender's own, so stop that process or choose another port.`,
  );
}

/**
 * Once the port accepts connections (Linux): it must be Blender, or a process below it, that
 * listens. If the add-on failed to bind (quietly) and something else took the port, say so.
 * Blender's own descriptors are looked at first: the usual answer costs one small scan.
 */
export async function requireBlenderHoldsPort(port: number, blenderPid: number): Promise<void> {
  const inodes = await listeningInodes(port);
  if (!inodes || inodes.size === 0) return; // not Linux, or the listener is gone again: the probes will tell
  if ((await holdersOf(inodes, [blenderPid])).length > 0) return;
  const below = (await descendantsOf(blenderPid)).map((p) => p.pid); // a server in a child process
  if ((await holdersOf(inodes, below)).length > 0) return;
  const strangers = await holdersOf(inodes, await everyPid());
  throw new UserError(
    `Port ${port} is served by ${describeHolders(strangers)}, not by Blender: the add-on did not get its port (see its log), and the probes would have talked to a stranger.`,
  );
}

/** Whether something accepts a TCP connection on host:port now (a second at most). */
export function acceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
