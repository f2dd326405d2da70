import { z } from 'zod';
import { UserError } from '../errors.js';
import { DECLARED, DEFAULT_BLENDER, type INPUTS, type InputName, type RawInputs } from './declarations.js';
import { type UpdateSnapshots, defaultUpdateSnapshots } from '../snapshots/baseline.js';

type Declarations = typeof INPUTS;

/** The parsed inputs as declared: each declaration's key, typed by its schema's output. */
type DeclaredConfig = { -readonly [N in InputName as Declarations[N]['key']]: z.output<Declarations[N]['schema']> };

/**
 * The run's configuration: every input, parsed (src/inputs/declarations.ts says each one).
 * Defaults that depend on where the run is are resolved here: which Blender (the action's
 * runners have none) and whether render steps may approve images (not under CI=true).
 */
export type RunConfig = Omit<DeclaredConfig, 'updateSnapshots'> & { updateSnapshots: UpdateSnapshots };

/** The config once the add-on is known: named by the addon input, or found in the workspace (workspace/defaults.ts). */
export type ResolvedConfig = RunConfig & { addon: string };

/** A config that names its add-on, as a ResolvedConfig (one sentence when it names none). */
export function requireAddon(config: RunConfig): ResolvedConfig {
  if (config.addon === undefined) throw new UserError("Input 'addon' is not set: name the add-on to test (a folder, a .py file or a .zip).");
  return { ...config, addon: config.addon };
}

/** Where the inputs came from: the action (action.yml) or the command line, and its environment. */
export interface InputSource {
  surface: 'action' | 'cli';
  env: NodeJS.ProcessEnv;
}

const RawInputsSchema = z.object(Object.fromEntries(DECLARED.map(([name, d]) => [name, d.schema])));

/** Fills defaults and shapes each value the way the schema expects (list or single string). */
function withDefaults(raw: RawInputs): Record<string, string | string[] | undefined> {
  const filled: Record<string, string | string[] | undefined> = {};
  for (const [name, declaration] of DECLARED) {
    const given = raw[name];
    const values = given === undefined ? [] : typeof given === 'string' ? [given] : [...given];
    const present = values.some((v) => v.trim() !== '');
    if (declaration.list) {
      filled[name] = present ? values.flatMap((v) => v.split('\n')) : [];
    } else {
      // A repeated single-value flag: the last one wins, as with most CLIs.
      filled[name] = present ? values[values.length - 1] : declaration.default;
    }
  }
  return filled;
}

/** Validates raw inputs into a RunConfig, or throws a UserError naming the first bad input. */
export function parseRunConfig(raw: RawInputs, source: InputSource = { surface: 'cli', env: process.env }): RunConfig {
  const result = RawInputsSchema.safeParse(withDefaults(raw));
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new UserError(`Input '${String(issue.path[0])}' ${issue.message}.`);
  }
  const parsed = Object.fromEntries(DECLARED.map(([name, d]) => [d.key, result.data[name]])) as DeclaredConfig;
  checkTogether(parsed);
  const namesNoBlender = parsed.blenderPath === undefined && parsed.blenderVersion === undefined && parsed.mode !== 'versions';
  return {
    ...parsed,
    blenderVersion: namesNoBlender ? DEFAULT_BLENDER[source.surface] : parsed.blenderVersion,
    updateSnapshots: parsed.updateSnapshots ?? defaultUpdateSnapshots(source.env),
  };
}

/** What one input needs of another, in one sentence each. */
function checkTogether(config: DeclaredConfig): void {
  if (config.mode === 'report' && config.results.length === 0) {
    throw new UserError("Input 'results' is required with mode: report: the result files of the matrix jobs, e.g. results/*.json.");
  }
  if (config.mode === 'versions' && config.versions === undefined) {
    throw new UserError("Input 'versions' is required with mode: versions, e.g. '>=3.6 lts, latest, daily'.");
  }
  if (config.maxMemoryGrowthBytes !== undefined && config.reloadCheck === 0) {
    throw new UserError("Input 'max-memory-growth' is measured over the reload cycles: set reload-check too (e.g. reload-check: 3).");
  }
  if ((config.companionPort !== undefined || Object.keys(config.companionEnv).length > 0) && config.companion === undefined) {
    throw new UserError(
      `Input '${config.companionPort !== undefined ? 'companion-port' : 'companion-env'}' is for the companion: set companion too (the command to start).`,
    );
  }
  if (config.blenderPath && config.blenderVersion) {
    throw new UserError("Inputs 'blender-path' and 'blender-version' both name a Blender; give one of them.");
  }
}
