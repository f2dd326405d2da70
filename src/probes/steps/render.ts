import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_RULE } from '../../snapshots/compare.js';
import { checkSnapshot } from '../../snapshots/snapshot-check.js';
import type { RenderSpec } from '../../session/driver-protocol.js';
import { isPlainObject } from '../json-values.js';
import { render } from '../template.js';
import { TransportError } from '../transports/tcp.js';
import type { StepKind, StepProblem } from './step-kind.js';

const RENDER_ENGINES = ['CYCLES', 'EEVEE', 'WORKBENCH'] as const;

const Render = z
  .object({
    scene: z.string().min(1).optional().describe('Default: the current scene.'),
    camera: z.string().min(1).optional().describe("An object to render from. Default: the scene's camera."),
    engine: z
      .enum(RENDER_ENGINES)
      .optional()
      .describe('CYCLES (default: on the CPU, everywhere), EEVEE or WORKBENCH (these need an EGL library in background mode).'),
    resolution: z
      .tuple([z.number().int().min(1).max(16384), z.number().int().min(1).max(16384)])
      .optional()
      .describe('[width, height]. Default [256, 256].'),
    samples: z.number().int().min(1).max(65536).optional().describe('Default 16.'),
    setup: z.string().optional().describe('Python run after the deterministic settings, before the render (it may change them).'),
  })
  .strict();

/** A render step's expect: the approved image and how close the render must be to it. */
const RenderExpect = z
  .object({
    image: z
      .string()
      .regex(/\.png$/i, 'must name a .png file')
      .describe("The approved image, relative to the probe file; a copy under a folder named by Blender's series (snapshots/4.2/cube.png) wins."),
    threshold: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe("How different one pixel may be and still count as equal (pixelmatch's perceptual threshold, 0 to 1). Default 0.1."),
    'max-diff-ratio': z.number().min(0).max(1).optional().describe('The share of pixels (0 to 1) that may differ. Default 0.01.'),
  })
  .strict();

/**
 * Render the live scene (deterministic settings) and compare it with the approved image the
 * step's expect names. Blender renders on its main thread; the image is compared here, one
 * rule for every Blender.
 */
export const renderStep: StepKind<'render', typeof Render> = {
  key: 'render',
  schema: Render.describe(
    'Render the live scene (deterministic settings) and compare it with the approved image that expect names: {"image": "snapshots/cube.png"}.',
  ),
  // Its expect names the approved image (the action carries it): nothing to match.
  matchesExpect: false,
  action(value, step) {
    const expect = RenderExpect.parse(step.expect);
    return {
      kind: 'render',
      render: value,
      snapshot: {
        image: expect.image,
        threshold: expect.threshold ?? DEFAULT_RULE.threshold,
        maxDiffRatio: expect['max-diff-ratio'] ?? DEFAULT_RULE.maxDiffRatio,
      },
    };
  },
  check: (step) => expectProblems(step['expect']),
  needsPort: () => false,
  async perform(step, action, run, signal) {
    const { control, snapshots: setting } = run.context;
    if (!control) throw new TransportError("the driver's control channel is not open");
    if (!setting) throw new TransportError('render steps run in a session (no snapshot setting here)');
    const rendered = await control.render(render(action.render, run.scope) as RenderSpec, path.join(setting.renderDir, `render-${randomUUID()}.png`), signal);
    const outcome = await checkSnapshot(
      rendered.path,
      {
        probeFile: run.file.path,
        line: step.line,
        image: action.snapshot.image,
        threshold: action.snapshot.threshold,
        maxDiffRatio: action.snapshot.maxDiffRatio,
      },
      setting,
    );
    run.context.onSnapshot?.(outcome);
    const document = { ...rendered, snapshot: outcome.record };
    return { document, raw: JSON.stringify(document), problem: outcome.failure };
  },
};

/** A render step's expect, checked as its own shape: the approved image, the rule. */
function expectProblems(expect: unknown): StepProblem[] {
  const parsed = RenderExpect.safeParse(expect);
  if (parsed.success) return [];
  const issue = parsed.error.issues[0]!;
  const missing = expect === undefined || (issue.code === 'invalid_type' && issue.path.length > 0 && !(isPlainObject(expect) && issue.path[0]! in expect));
  const where = issue.path.length > 0 ? `expect.${issue.path.join('.')}` : 'expect';
  const unknownKeys = issue.code === 'unrecognized_keys';
  return [
    {
      path:
        expect === undefined
          ? ['render']
          : ['expect', ...(unknownKeys ? [issue.keys[0]!] : issue.path.filter((p): p is string | number => typeof p !== 'symbol'))],
      message: missing
        ? 'a render step needs "expect": {"image": "snapshots/<name>.png"}: the approved image it is compared with'
        : `${where}: ${unknownKeys ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')} (a render step's expect takes image, threshold, max-diff-ratio)` : issue.message}`,
      atKey: unknownKeys,
    },
  ];
}
