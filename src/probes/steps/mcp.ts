import { z } from 'zod';
import type { McpRequest } from '../suite.js';
import { render } from '../template.js';
import { MCP_LISTS, type JsonValue } from '../vocabulary.js';
import type { StepKind } from './step-kind.js';

const McpRequest = z
  .object({
    call: z.string().min(1).optional().describe("tools/call: the tool's name. expect matches {content, structuredContent, isError, text, json, progress}."),
    list: z.enum(MCP_LISTS).optional().describe('tools/list, resources/list, resources/templates/list or prompts/list: expect matches the list result.'),
    read: z.string().min(1).optional().describe("resources/read: the resource's URI."),
    prompt: z.string().min(1).optional().describe("prompts/get: the prompt's name."),
    arguments: z.record(z.string(), z.json()).optional().describe('With call or prompt: the arguments.'),
  })
  .strict()
  .superRefine((mcp, ctx) => {
    const given = (['call', 'list', 'read', 'prompt'] as const).filter((key) => mcp[key] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message: given.length === 0 ? 'needs one of call, list, read or prompt' : `takes one of call, list, read or prompt, not ${given.join(' and ')}`,
        path: given.length > 1 ? [given[1]!] : [],
      });
    if (mcp.arguments !== undefined && mcp.call === undefined && mcp.prompt === undefined)
      ctx.addIssue({ code: 'custom', message: 'arguments apply only with call or prompt', path: ['arguments'] });
  });

/** A request to the file's MCP server (target.mcp): call a tool, list, read a resource, get a prompt. */
export const mcpStep: StepKind<'mcp', typeof McpRequest> = {
  key: 'mcp',
  schema: McpRequest.describe("A request to the file's MCP server (target.mcp): call a tool, list, read a resource, get a prompt."),
  matchesExpect: true,
  action: (mcp) => ({ kind: 'mcp', mcp: mcpRequest(mcp) }),
  check(_step, file) {
    if (file.hasMcp) return [];
    const message =
      'an mcp step needs an MCP server to talk to: "target": {"mcp": {"stdio": "<command>"}} or {"mcp": {"url": "http://127.0.0.1:{companion-port}/mcp"}}';
    return [{ path: ['mcp'], message, atKey: true }];
  },
  // The MCP target's {port} and {companion-port} are the file's: require-ports.ts checks them.
  needsPort: () => false,
  async perform(step, action, { file, scope, mcp, context }, signal) {
    const request = render(action.mcp, scope) as McpRequest;
    const expect = step.expect === undefined ? undefined : render(step.expect, scope);
    const answer = await mcp!.request(request, expect as JsonValue | undefined, signal, step.timeoutMs ?? context.timeoutMs);
    if (answer.errorText && context.mcpErrorText === 'warn')
      context.onWarning?.(`${file.path}:${step.line}: ${answer.errorText}.`, { file: file.path, line: step.line });
    return answer;
  },
};

function mcpRequest(mcp: z.output<typeof McpRequest>): McpRequest {
  if (mcp.call !== undefined) return { op: 'call', name: mcp.call, arguments: mcp.arguments ?? {} };
  if (mcp.prompt !== undefined) return { op: 'prompt', name: mcp.prompt, arguments: mcp.arguments ?? {} };
  if (mcp.read !== undefined) return { op: 'read', uri: mcp.read };
  return { op: 'list', what: mcp.list! };
}
