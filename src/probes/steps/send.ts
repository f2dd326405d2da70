import { z } from 'zod';
import { render } from '../template.js';
import { TransportError } from '../transports/tcp.js';
import type { JsonValue } from '../vocabulary.js';
import type { StepKind } from './step-kind.js';

/** A request to the add-on's own TCP port, in the file's framing. */
export const sendStep: StepKind<'send', z.ZodType<JsonValue>> = {
  key: 'send',
  schema: z.json().describe('TCP request: JSON, or a string with the raw framing.'),
  matchesExpect: true,
  action: (send) => ({ kind: 'send', send }),
  check(step, file) {
    const problems = [];
    if (file.hasMcp)
      problems.push({ path: ['send'], message: "this file's target is an MCP server: its steps are mcp steps (or http, blender), not send", atKey: true });
    if (file.framing === 'raw' && typeof step['send'] !== 'string') problems.push({ path: ['send'], message: 'with the raw framing, send takes a string' });
    return problems;
  },
  needsPort: () => true,
  async perform(_step, action, { file, scope, client }, signal) {
    const raw = file.target.framing === 'raw';
    const payload = render(action.send, scope);
    const reply = await client.request(raw ? String(payload) : JSON.stringify(payload), signal);
    if (raw) return { document: reply, raw: reply };
    try {
      return { document: JSON.parse(reply), raw: reply };
    } catch {
      throw new TransportError(`the reply is not valid JSON: ${reply.slice(0, 200)}`);
    }
  },
};
