import type { z } from 'zod';
import type { ProbeStep, StepAction } from '../suite.js';
import { blenderStep } from './blender.js';
import { httpStep } from './http.js';
import { mcpStep } from './mcp.js';
import { renderStep } from './render.js';
import { sendStep } from './send.js';
import type { StepKind, StepKindName } from './step-kind.js';

/** Every kind of step, in the order the file format and its schema list them. */
export const STEP_KINDS = { send: sendStep, http: httpStep, blender: blenderStep, mcp: mcpStep, render: renderStep } as const satisfies {
  [K in StepKindName]: StepKind<K, z.ZodType>;
};

export const STEP_KIND_NAMES = Object.keys(STEP_KINDS) as StepKindName[];

/** The kinds, with no kind-specific types: what load, run and require-ports dispatch through. */
type AnyStepKind = StepKind<StepKindName, z.ZodType>;

/** A loaded step's kind. */
function kindOfAction(action: StepAction): AnyStepKind {
  return STEP_KINDS[action.kind] as unknown as AnyStepKind;
}

/** The kind a step as written is (the one of its keys that names a kind); undefined: none. */
export function kindOfStep(step: Record<string, unknown>): AnyStepKind | undefined {
  const name = STEP_KIND_NAMES.find((key) => step[key] !== undefined);
  return name && (STEP_KINDS[name] as unknown as AnyStepKind);
}

/** The step's action's kind, and the step. */
export function stepKind(step: ProbeStep): AnyStepKind {
  return kindOfAction(step.action);
}
