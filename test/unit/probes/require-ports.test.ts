import { describe, expect, it } from 'vitest';
import { requirePorts } from '../../../src/probes/require-ports.js';
import type { McpTarget, ProbeSuite } from '../../../src/probes/suite.js';

function suite(mcp: McpTarget | undefined, kind: 'send' | 'blender' = 'blender'): ProbeSuite {
  const action = kind === 'send' ? { kind, send: {} } : { kind, code: '1', mode: 'eval' as const };
  return {
    files: [
      {
        path: 'p.json',
        name: 'p',
        target: { host: undefined, port: undefined, framing: 'json', connection: 'persistent', mcp, line: 2 },
        vars: {},
        steps: [{ name: 's', line: 5, action, expect: undefined, strict: false, captures: [], retry: undefined, timeoutMs: undefined }],
      },
    ],
  };
}

describe('requirePorts', () => {
  it('a send step needs a port', () => {
    expect(() => requirePorts(suite(undefined, 'send'), undefined)).toThrow(
      'Probe file p.json:5 (step \'s\') has no port to talk to: set the \'port\' input, or "target": {"port": ...} in the file.',
    );
    expect(() => requirePorts(suite(undefined, 'send'), 6688)).not.toThrow();
  });

  it("an MCP target's {port} and {companion-port} need their inputs", () => {
    const url: McpTarget = { kind: 'url', url: 'http://127.0.0.1:{companion-port}/mcp', transport: 'streamable-http', headers: {} };
    const stdio: McpTarget = { kind: 'stdio', command: 'uvx bridge --port {port}', env: {} };
    expect(() => requirePorts(suite(url), 6688)).toThrow(
      "Probe file p.json:2: its MCP target uses {companion-port}, but the 'companion-port' input is not set.",
    );
    expect(() => requirePorts(suite(url), undefined, 8000)).not.toThrow();
    expect(() => requirePorts(suite(stdio), undefined)).toThrow("Probe file p.json:2: its MCP target uses {port}, but the 'port' input is not set.");
    expect(() => requirePorts(suite(stdio), 6688)).not.toThrow();
  });
});
