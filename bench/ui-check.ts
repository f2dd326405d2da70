/**
 * What the UI check costs: the same run of the clean UI fixture with ui-check on and off (paired,
 * order alternating), the difference being what the check adds beyond the session, beside the
 * pass's own time from the go to the last draw.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Installation } from '../src/blender/installation.js';
import { parseRunConfig, requireAddon } from '../src/inputs/config.js';
import { runPipeline } from '../src/main.js';
import { RecordingReporter } from '../test/helpers/recording-reporter.js';
import { summarize } from './stats.js';

// Run compiled, from build/bench: the repository is two levels up.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const UI_CLEAN = path.join(ROOT, 'test', 'fixtures', 'addons', 'ui_clean');

export interface UiCheckCost {
  /** the whole run with the UI drawn, and without */
  onMs: number;
  offMs: number;
  /** from the go file to the last draw (the pass alone) */
  passMs: number;
  drawn: number;
}

export async function uiCheckCost(blender: Installation, runs: number): Promise<UiCheckCost> {
  const on: number[] = [];
  const off: number[] = [];
  const pass: number[] = [];
  let drawn = 0;
  const run = async (check: 'fail' | 'off') => {
    const config = parseRunConfig({ 'blender-path': blender.executable, addon: UI_CLEAN, 'ui-check': check });
    const started = performance.now();
    const outcome = await runPipeline(requireAddon(config), new RecordingReporter());
    const ms = performance.now() - started;
    if (!outcome.ok) throw new Error(`the clean UI fixture failed in the bench: ${outcome.failure}`);
    if (check === 'off') return off.push(ms);
    on.push(ms);
    pass.push(outcome.ui?.passMs ?? NaN);
    drawn = outcome.ui?.targets.filter((t) => t.drawn).length ?? 0;
  };
  for (let i = 0; i < runs; i++) for (const check of i % 2 === 0 ? (['fail', 'off'] as const) : (['off', 'fail'] as const)) await run(check);
  return { onMs: summarize(on).median, offMs: summarize(off).median, passMs: summarize(pass).median, drawn };
}
