import { UserError } from '../errors.js';
import type { ProbeSuite } from './suite.js';

/** Every send and http step needs a port from somewhere; say which lacks one before launch. */
export function requirePorts(suite: ProbeSuite, port: number | undefined): void {
  if (port !== undefined) return;
  for (const file of suite.files) {
    if (file.target.port !== undefined) continue;
    const step = file.steps.find((s) => s.action.kind === 'send' || (s.action.kind === 'http' && s.action.http.port === undefined));
    if (step) {
      throw new UserError(
        `Probe file ${file.path}:${step.line} (step '${step.name}') has no port to talk to: set the 'port' input, or "target": {"port": ...} in the file.`,
      );
    }
  }
}
