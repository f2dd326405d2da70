import { z } from 'zod';
import { render } from '../template.js';
import { TransportError } from '../transports/tcp.js';
import type { StepKind } from './step-kind.js';

const BlenderCode = z.union([
  z.string().min(1).describe("A Python expression, evaluated on Blender's main thread; its value is matched."),
  z.object({ exec: z.string().min(1).describe('Python statements; the value matched is the variable `result` they set (null if none).') }).strict(),
]);

/** Python on Blender's main thread through the driver's control channel: for add-ons with no port. */
export const blenderStep: StepKind<'blender', typeof BlenderCode> = {
  key: 'blender',
  schema: BlenderCode.describe("Python run on Blender's main thread through the driver; for add-ons with no port."),
  matchesExpect: true,
  action: (code) => (typeof code === 'string' ? { kind: 'blender', code, mode: 'eval' } : { kind: 'blender', code: code.exec, mode: 'exec' }),
  needsPort: () => false,
  async perform(_step, action, { scope, context }, signal) {
    if (!context.control) throw new TransportError("the driver's control channel is not open");
    const value = await context.control.run(render(action.code, scope) as string, action.mode, signal);
    return { document: value, raw: JSON.stringify(value) };
  },
};
