import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRunConfig, requireAddon } from '../../src/inputs/config.js';
import type { RawInputs } from '../../src/inputs/declarations.js';
import { runPipeline } from '../../src/main.js';
import type { RunOutcome } from '../../src/report/outcome.js';
import type { TestBlender } from './blender.js';
import { freePort } from './ports.js';
import { RecordingReporter } from './recording-reporter.js';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const FIXTURE_ADDON = path.join(FIXTURES, 'addons', 'fixture_service');
const EXAMPLES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'echo-addon', 'probes');
export const EXAMPLE_ADDON = path.join(EXAMPLES, '..', 'echo_addon');
export const EXAMPLE_PROBES = { echo: path.join(EXAMPLES, 'echo.json'), scene: path.join(EXAMPLES, 'scene.json') };

/** Writes a probe file into a fresh temp dir and returns its path. */
export async function writeProbeFile(content: unknown): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-probes-'));
  const file = path.join(dir, 'probe.json');
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

export interface FixtureRun {
  outcome: RunOutcome;
  reporter: RecordingReporter;
  port: number;
}

export interface FixtureOptions {
  steps?: unknown[];
  target?: unknown;
  inputs?: RawInputs;
  env?: string[];
  signal?: AbortSignal;
  reporter?: RecordingReporter;
}

/** Runs the real pipeline on a real test Blender with the fixture addon in `mode`. */
export async function runFixture(blender: TestBlender, mode: string, options: FixtureOptions = {}): Promise<FixtureRun> {
  const port = await freePort();
  const probes = options.steps ? [await writeProbeFile({ name: `${mode} probes`, target: options.target, steps: options.steps })] : [];
  const reporter = options.reporter ?? new RecordingReporter();
  const config = parseRunConfig({
    addon: FIXTURE_ADDON,
    port: String(port),
    probes,
    env: [`FIXTURE_MODE=${mode}`, `FIXTURE_PORT=${port}`, ...(options.env ?? [])],
    'blender-path': blender.executable,
    ...options.inputs,
  });
  const outcome = await runPipeline(requireAddon(config), reporter, options.signal);
  return { outcome, reporter, port };
}

/** Steps every service mode must pass: bpy on the main thread, echo, a change to the scene. */
export const SERVICE_STEPS = [
  {
    name: 'scene info is read on the main thread',
    send: { type: 'get_scene_info', params: {} },
    expect: { status: 'success', result: { name: 'Scene', object_count: 3, main_thread: true } },
  },
  { name: 'echo', send: { type: 'echo', params: { text: 'héllo ✓', list: [1, 2, 3] } }, expect: { result: { text: 'héllo ✓', list: [1, 2, 3] } } },
  { name: 'add a cube', send: { type: 'add_cube', params: { name: 'Probe' } }, expect: { status: 'success', result: { name: 'Probe', main_thread: true } } },
  { name: 'the cube is there', send: { type: 'get_scene_info', params: {} }, expect: { result: { object_count: 4 } } },
];
