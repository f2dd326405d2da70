import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import type { Capabilities } from '../blender/capabilities.js';
import type { UserDirs } from '../blender/invocation.js';
import { UserError } from '../errors.js';
import { copyAddonFiles } from './files.js';
import { locationOf } from './manifest.js';
import { keyPathOfProblem } from './manifest-rules.js';
import type { ExtensionSource, PlacedProblem } from './staged-addon.js';

/** The Blender that installs: the same one, environment and isolated profile as the session. */
export interface InstallingBlender {
  executable: string;
  version: string;
  capabilities: Capabilities;
  environment: Record<string, string>;
  /** the run's kept log: the installer's output is appended to it */
  logFile: string;
}

type CommandResult = { outcome: 'ok' } | { outcome: 'unavailable' } | { outcome: 'refused'; problems: string[] };

/** The repositories a factory-startup profile has, which Blender's installer can target. */
export const BUILT_IN_REPOSITORIES = ['user_default', 'blender_org'] as const;

export interface InstalledExtension {
  /** how it got there, for the log */
  by: string;
  /** the extension's folder in its repository */
  path: string;
  /** what the extensions platform would refuse, which Blender installs all the same */
  warnings: PlacedProblem[];
}

/**
 * Installs an extension into its repository in the isolated profile, so Blender imports it
 * as bl_ext.<repository>.<id> exactly as a real install does (wheels are set up by Blender
 * itself when the driver enables it). The run fails only on what Blender's installer
 * refuses: a zip goes through its own `install-file` where `blender --command extension`
 * runs (4.2+, into a repository a fresh profile has); a folder is placed in the repository
 * folder, as Blender loads it, after the installer's rules (inspect.ts). Blender's strict
 * `validate` (the extensions platform's upload check: tags...) runs beside it, and what it
 * refuses becomes warnings. `install-file` is not given `-e`: enabling there would run the
 * addon's register() (and start its server) in a process outside the session.
 */
export async function installExtension(addon: ExtensionSource, blender: InstallingBlender, userDirs: UserDirs): Promise<InstalledExtension> {
  const target = path.join(userDirs.extensions, addon.repository, addon.id);
  const placed = async (how: string, warnings: PlacedProblem[]): Promise<InstalledExtension> => {
    await copyAddonFiles(addon.root, target);
    return { by: `placed in the ${addon.repository} repository folder${how}`, path: target, warnings };
  };
  if (!blender.capabilities.commands) return placed('', addon.platformProblems);
  const installer = addon.archive && (BUILT_IN_REPOSITORIES as readonly string[]).includes(addon.repository);
  // validate writes nothing into the profile (checked on 4.3 and 5.2), so the two run side
  // by side: one Blender startup's wait instead of two.
  const [validation, installation] = await Promise.all([
    runExtensionCommand(blender, ['validate', addon.archive ?? addon.root]),
    installer ? runExtensionCommand(blender, ['install-file', '-r', addon.repository, addon.archive!], /^STATUS Installed/m) : undefined,
  ]);
  if (installation?.outcome === 'refused') throw refusal(addon, blender, 'install-file', installation.problems);
  const warnings =
    validation.outcome === 'refused'
      ? validation.problems.map((problem) => platformWarning(addon, blender, problem))
      : validation.outcome === 'unavailable'
        ? addon.platformProblems
        : [];
  if (installation?.outcome === 'ok') return { by: "installed by Blender's own installer (--command extension install-file)", path: target, warnings };
  if (validation.outcome === 'unavailable') return placed(` (Blender ${blender.version} has no working --command extension)`, warnings);
  return placed('', warnings);
}

/** `success`: what a successful run prints (install-file exits 0 on some refusals). */
async function runExtensionCommand(blender: InstallingBlender, args: string[], success?: RegExp): Promise<CommandResult> {
  const command = ['--factory-startup', '--command', 'extension', ...args];
  const run = await execa(blender.executable, command, {
    env: blender.environment,
    extendEnv: true,
    reject: false,
    all: true,
    stdin: 'ignore',
    timeout: 120_000,
  });
  const output = run.all ?? '';
  await appendFile(blender.logFile, `$ ${blender.executable} ${command.join(' ')}\n${output}\n`, { mode: 0o600 });
  if (/^Unrecognized command/m.test(output)) return { outcome: 'unavailable' };
  if (run.exitCode === 0 && (!success || success.test(output))) return { outcome: 'ok' };
  return { outcome: 'refused', problems: blenderProblems(output) };
}

/**
 * Blender's own words from an extension command's output: one problem per entry, from its
 * first error on, without FATAL_ERROR: prefixes, the "Error parsing TOML" headline, the
 * manifest's path, advice on validate's own flags, or startup noise (sid's Blender prints a
 * traceback for its extension manager). A line ending in ":" continues on the next ("not found in:\n(3D View, ...)").
 */
export function blenderProblems(output: string): string[] {
  const lines = output.split(/\r?\n/).map((line) =>
    line
      .replace(/^FATAL_ERROR: /, '')
      .replace(/^Error in TOML "[^"]*" /, '')
      // install-file: "ERROR Failed to load manifest from: <problem>" (4.3), "…: <problem> from <zip>" (5.2)
      .replace(/^ERROR Failed to load manifest(?: from)?: (.*?)(?: from \S+)?$/, '$1')
      .trimEnd(),
  );
  const first = lines.findIndex((line) => /^(Error|ERROR|loading|key "|missing "|"\w+" must)/.test(line));
  // validate's advice on its own flags ("Either correct the tag or disable validation using
  // --valid-tags…") is about Blender's command line, not the manifest: left out.
  const relevant = (first < 0 ? lines.slice(-3) : lines.slice(first)).filter(
    (line) => line !== '' && !/^\s/.test(line) && !/^Error parsing TOML/.test(line) && !/^Either correct the tag/.test(line),
  );
  const problems: string[] = [];
  for (const line of relevant) {
    if (problems.length > 0 && problems.at(-1)!.endsWith(':')) problems[problems.length - 1] += ` ${line}`;
    else problems.push(line);
  }
  return problems.length > 0 ? problems : ['(it printed no reason; see the Blender log)'];
}

/** The manifest line a problem Blender printed is about, or the manifest's name. */
function placeProblem(addon: ExtensionSource, problem: string): PlacedProblem {
  const keyPath = keyPathOfProblem(problem);
  const location = keyPath ? locationOf(addon.manifest, keyPath) : undefined;
  return { message: problem.replace(/\.$/, ''), location, at: location ? `${location.file}:${location.line}` : addon.manifest.shownAs };
}

function refusal(addon: ExtensionSource, blender: InstallingBlender, command: string, problems: string[]): UserError {
  const first = placeProblem(addon, problems[0]!);
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more, listed below)` : '';
  return new UserError(
    `${first.at}: Blender ${blender.version} refuses the extension '${addon.id}' (blender --command extension ${command}): ${first.message}${more}.`,
    problems.length > 1 ? problems.join('\n') : undefined,
    first.location,
  );
}

/** What only `validate` refuses: Blender installs and runs the extension all the same. */
function platformWarning(addon: ExtensionSource, blender: InstallingBlender, problem: string): PlacedProblem {
  const placed = placeProblem(addon, problem);
  return { ...placed, message: `Blender ${blender.version}'s extension validate (the extensions platform's upload check) refuses: ${placed.message}` };
}
