import { z } from 'zod';
import type { HttpRequestSpec } from '../suite.js';
import { render } from '../template.js';
import { httpRequest } from '../transports/http.js';
import { Port } from '../vocabulary.js';
import type { StepKind } from './step-kind.js';

const HttpRequest = z
  .object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']).default('GET'),
    path: z.string().regex(/^\//, 'must start with /'),
    host: z.string().min(1).optional().describe('Default: the target host.'),
    port: Port.optional().describe('Default: the target port.'),
    headers: z.record(z.string(), z.string()).optional(),
    json: z.json().optional().describe('Sent as the JSON body (Content-Type: application/json).'),
    body: z.string().optional().describe('Sent as the body, as is.'),
  })
  .strict()
  .refine((http) => http.json === undefined || http.body === undefined, { message: 'takes json or body, not both' });

/** An HTTP request to the add-on (or the file's target); expect matches {status, headers, json, body}. */
export const httpStep: StepKind<'http', typeof HttpRequest> = {
  key: 'http',
  schema: HttpRequest.describe('An HTTP request; expect matches {status, headers, json, body}.'),
  matchesExpect: true,
  action: ({ method, path, host, port, headers, json, body }) => ({ kind: 'http', http: { method, path, host, port, headers: headers ?? {}, json, body } }),
  needsPort: (action) => action.http.port === undefined,
  async perform(_step, action, { file, scope, context }, signal) {
    const http = render(action.http, scope) as HttpRequestSpec;
    const host = http.host ?? file.target.host ?? context.host;
    // load refuses (require-ports.ts) a step with no port from anywhere before Blender starts.
    const port = http.port ?? file.target.port ?? context.port!;
    const document = await httpRequest(http, host, port, signal, context.maxReplyBytes);
    return { document, raw: document.body };
  },
};
