import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Installation } from '../src/blender/installation.js';
import { McpConnection, type McpSetting } from '../src/probes/transports/mcp.js';
import { BlenderLog } from '../src/session/blender-log.js';
import { freePort } from '../src/session/free-port.js';
import { acceptsConnections } from '../src/session/port-owner.js';
import { BenchClient } from './client.js';
import { serveWithDriver } from './servers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BRIDGE = path.join(ROOT, 'test', 'fixtures', 'mcp-bridge', 'bridge.mjs');
const SCENE = JSON.stringify({ type: 'get_scene_info', params: {} });

export interface McpRoundTrips {
  /** get_scene_info on one kept connection to the add-on's socket (a probe's send step) */
  raw: number[];
  /** the same on a new connection each time: what the bridge does for every call */
  rawPerConnection: number[];
  /** tools/call get_scene_info through the fixture bridge, over stdio and over streamable HTTP, with the product's client */
  stdio: number[];
  http: number[];
}

/**
 * An MCP tools/call round trip through a bridge beside the raw socket round trip it forwards
 * to: the fixture add-on (thread + timers, as blender-mcp) and the fixture bridge, every kind
 * taking turns in blocks so drift on a noisy machine hits all alike.
 */
export async function mcpRoundTrips(installation: Installation, count: number, blocks: number): Promise<McpRoundTrips> {
  const served = await serveWithDriver(installation, 'timers');
  const logs = await mkdtemp(path.join(os.tmpdir(), 'bg-bench-mcp-'));
  const log = new BlenderLog(path.join(logs, 'stdio.log'), () => {});
  const httpPort = await freePort();
  let httpBridge: ChildProcess | undefined;
  const connections: McpConnection[] = [];
  try {
    httpBridge = spawn(process.execPath, [BRIDGE, '--blender-port', String(served.port), '--http', String(httpPort)], { stdio: 'ignore' });
    while (!(await acceptsConnections('127.0.0.1', httpPort))) await sleep(20);
    const setting: McpSetting = {
      env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
      tag: `bench-${randomUUID()}`,
      log,
      graceMs: 2000,
      placeholders: { port: served.port },
      clientVersion: 'bench',
    };
    const open = (target: Parameters<typeof McpConnection.open>[0]) => McpConnection.open(target, setting, AbortSignal.timeout(30_000), 30_000);
    const stdio = await open({ kind: 'stdio', command: `"${process.execPath}" "${BRIDGE}" --blender-port {port}`, env: {} });
    const http = await open({ kind: 'url', url: `http://127.0.0.1:${httpPort}/mcp`, transport: 'streamable-http', headers: {} });
    connections.push(stdio, http);
    const kept = await BenchClient.connect(served.port);
    const call = (connection: McpConnection) => connection.request({ op: 'call', name: 'get_scene_info', arguments: {} }, AbortSignal.timeout(30_000), 30_000);
    const kinds: Record<keyof McpRoundTrips, () => Promise<unknown>> = {
      raw: () => kept.request(SCENE),
      rawPerConnection: async () => {
        const client = await BenchClient.connect(served.port);
        await client.request(SCENE);
        client.close();
      },
      stdio: () => call(stdio),
      http: () => call(http),
    };
    const samples: McpRoundTrips = { raw: [], rawPerConnection: [], stdio: [], http: [] };
    for (const run of Object.values(kinds)) for (let i = 0; i < 10; i++) await run(); // warm-up
    for (let block = 0; block < blocks; block++) {
      for (const [kind, run] of Object.entries(kinds) as [keyof McpRoundTrips, () => Promise<unknown>][]) {
        for (let i = 0; i < Math.ceil(count / blocks); i++) {
          const started = performance.now();
          await run();
          samples[kind].push(performance.now() - started);
        }
      }
    }
    kept.close();
    return samples;
  } finally {
    for (const connection of connections) await connection.close();
    httpBridge?.kill();
    await log.close();
    await rm(logs, { recursive: true, force: true });
    await served.stop();
  }
}
