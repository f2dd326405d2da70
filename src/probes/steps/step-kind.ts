import type { z } from 'zod';
import type { StepRun, StepReply } from '../probe-context.js';
import type { ProbeStep, StepAction } from '../suite.js';

/** A problem load.ts reports at a path under the step (`atKey`: at the key, not its value). */
export interface StepProblem {
  path: (string | number)[];
  message: string;
  atKey?: boolean;
}

/** What a step kind's load-time check knows of the file around the step. */
interface FileFacts {
  /** target.framing as written (undefined: json) */
  framing: unknown;
  /** the file has an MCP target */
  hasMcp: boolean;
}

export type StepKindName = StepAction['kind'];
type ActionOf<K extends StepKindName> = Extract<StepAction, { kind: K }>;

/**
 * One kind of probe step, whole: the key a step is written with and its value's schema, the
 * checks zod cannot make, the action a loaded step carries, whether it needs the add-on's port,
 * and what it does when it runs. A kind is added by a module of its own and one line in
 * registry.ts (and its action's shape in suite.ts's StepAction).
 */
export interface StepKind<K extends StepKindName = StepKindName, S extends z.ZodType = z.ZodType> {
  readonly key: K;
  /** the key's value, as the file writes it (probe.schema.json shows its description) */
  readonly schema: S;
  /** false: the step's expect is not matched against the reply (a render step's names its image) */
  readonly matchesExpect: boolean;
  /** The loaded step's action, from the key's value (and the step's expect, where it says more). */
  action(value: z.output<S>, step: { expect?: unknown }): ActionOf<K>;
  /** What zod cannot see, read defensively from the raw step (relative paths: ['send'], ['expect', 'image']). */
  check?(step: Record<string, unknown>, file: FileFacts): StepProblem[];
  /** It talks to the add-on's port (the port input or the file's target): a run without one is refused before launch. */
  needsPort(action: ActionOf<K>): boolean;
  /** Sends the request, templated now (captures may have changed), and reads the reply. */
  perform(step: ProbeStep, action: ActionOf<K>, run: StepRun, signal: AbortSignal): Promise<StepReply>;
}
