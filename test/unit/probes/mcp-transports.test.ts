import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProbes } from '../../../src/probes/run.js';
import type { McpTarget, ProbeSuite } from '../../../src/probes/suite.js';
import { BlenderLog } from '../../../src/session/blender-log.js';
import { acceptsConnections } from '../../../src/session/port-owner.js';
import { freePort } from '../../helpers/ports.js';

// The fixture bridge (real processes, real HTTP) over the transports that need no Blender behind
// them: what its tools/list and a failing tool say does not ask the add-on anything.
const BRIDGE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'mcp-bridge', 'bridge.mjs');

function suiteFor(mcp: McpTarget): ProbeSuite {
  const step = (name: string, request: unknown, expectation: unknown) => ({
    name,
    line: 5,
    action: { kind: 'mcp', mcp: request } as never,
    expect: expectation as never,
    strict: false,
    captures: [],
    retry: undefined,
    timeoutMs: undefined,
  });
  return {
    files: [
      {
        path: 'p.json',
        name: 'p',
        vars: {},
        target: { host: undefined, port: undefined, framing: 'json', connection: 'persistent', mcp, line: 2 },
        steps: [
          step('tools', { op: 'list', what: 'tools' }, { tools: { $size: 7 } }),
          step('a failure, expected', { op: 'call', name: 'delete_object', arguments: { name: 'X' } }, { isError: true, text: 'No object named X' }),
          step('prompts', { op: 'list', what: 'prompts' }, { prompts: [{ name: 'describe_scene' }] }),
        ],
      },
    ],
  };
}

describe('MCP transports without Blender behind the bridge', () => {
  let sse: ChildProcess;
  let ssePort: number;
  let log: BlenderLog;

  beforeAll(async () => {
    ssePort = await freePort();
    sse = spawn(process.execPath, [BRIDGE, '--blender-port', '1', '--sse', String(ssePort)], { stdio: 'ignore' });
    while (!(await acceptsConnections('127.0.0.1', ssePort))) await sleep(20);
    log = new BlenderLog(path.join(await mkdtemp(path.join(os.tmpdir(), 'bg-mcp-')), 'stdio.log'), () => {});
  });
  afterAll(async () => {
    sse.kill();
    await log.close();
  });

  const context = () => ({
    host: '127.0.0.1',
    port: undefined,
    timeoutMs: 10_000,
    control: undefined,
    mcp: { env: { PATH: process.env['PATH'] ?? '' }, tag: `unit-${process.pid}`, log, graceMs: 2000, placeholders: {}, clientVersion: 'test' },
  });

  it('SSE (the older HTTP transport): the session opens, its steps are matched', async () => {
    const results = await runProbes(suiteFor({ kind: 'url', url: `http://127.0.0.1:${ssePort}/sse`, transport: 'sse', headers: {} }), context(), () => {});
    expect(results.map((r) => [r.step, r.passed, r.failure])).toEqual([
      ['MCP session', true, undefined],
      ['tools', true, undefined],
      ['a failure, expected', true, undefined],
      ['prompts', true, undefined],
    ]);
  });

  it('stdio: the same, and a server that cannot start is said at the session step and at each step', async () => {
    const stdio = await runProbes(suiteFor({ kind: 'stdio', command: `"${process.execPath}" "${BRIDGE}" --blender-port 1`, env: {} }), context(), () => {});
    expect(stdio.map((r) => r.passed)).toEqual([true, true, true, true]);
    const missing = await runProbes(suiteFor({ kind: 'stdio', command: 'exit 7', env: {} }), context(), () => {});
    expect(missing[0]).toMatchObject({
      step: 'MCP session',
      passed: false,
      failure: 'could not open an MCP session with the stdio server (exit 7): it exited with code 7',
    });
    expect(
      missing.slice(1).every((r) => !r.passed && r.failure === 'could not open an MCP session with the stdio server (exit 7): it exited with code 7'),
    ).toBe(true);
  });

  it('a URL where no MCP server answers: the session step says where and what', async () => {
    const port = await freePort();
    const results = await runProbes(
      suiteFor({ kind: 'url', url: `http://127.0.0.1:${port}/mcp`, transport: 'streamable-http', headers: {} }),
      context(),
      () => {},
    );
    expect(results[0]).toMatchObject({
      passed: false,
      failure: expect.stringMatching(new RegExp(`^could not open an MCP session with http://127\\.0\\.0\\.1:${port}/mcp: fetch failed \\(.*ECONNREFUSED`)),
    });
  });
});
