import { UserError } from '../errors.js';
import { stepKind } from './steps/registry.js';
import type { ProbeSuite } from './suite.js';

/**
 * Every step whose kind talks to the add-on's port (send, an http step with no port of its own) needs one from somewhere, and an MCP target's {port} and
 * {companion-port} need their inputs: say which lacks one before launch.
 */
export function requirePorts(suite: ProbeSuite, port: number | undefined, companionPort?: number): void {
  for (const file of suite.files) {
    const mcp = file.target.mcp;
    const mcpText = mcp ? (mcp.kind === 'stdio' ? mcp.command : mcp.url) : '';
    for (const [placeholder, value, input] of [
      ['{port}', port, 'port'],
      ['{companion-port}', companionPort, 'companion-port'],
    ] as const) {
      if (value === undefined && mcpText.includes(placeholder)) {
        throw new UserError(`Probe file ${file.path}:${file.target.line}: its MCP target uses ${placeholder}, but the '${input}' input is not set.`);
      }
    }
    if (port !== undefined || file.target.port !== undefined) continue;
    const step = file.steps.find((s) => stepKind(s).needsPort(s.action));
    if (step) {
      throw new UserError(
        `Probe file ${file.path}:${step.line} (step '${step.name}') has no port to talk to: set the 'port' input, or "target": {"port": ...} in the file.`,
      );
    }
  }
}
