import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import type { Capabilities } from '../blender/capabilities.js';
import { EXTENSION_REPOSITORY, type UserDirs } from '../blender/invocation.js';
import { UserError } from '../errors.js';
import { copyAddonFiles } from './files.js';
import { locationOf } from './manifest.js';
import { keyPathOfProblem } from './manifest-rules.js';
import type { ExtensionSource } from './staged-addon.js';

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

/**
 * Installs an extension into the isolated profile's `user_default` repository, so Blender
 * imports it as bl_ext.user_default.<id> exactly as a real install does (wheels are set up
 * by Blender itself when the driver enables it). Where `blender --command extension` runs
 * (4.2+), Blender's own strict `validate` judges the manifest and a zip goes through its
 * own `install-file`; a folder, or a Blender without the command, is placed in the
 * repository folder. `install-file` is not given `-e`: enabling there would run the addon's
 * register() (and start its server) in a process outside the session.
 */
export async function installExtension(addon: ExtensionSource, blender: InstallingBlender, userDirs: UserDirs): Promise<string> {
  const target = path.join(userDirs.extensions, EXTENSION_REPOSITORY, addon.id);
  if (!blender.capabilities.commands) {
    await copyAddonFiles(addon.root, target);
    return 'placed in the user_default repository folder';
  }
  // validate writes nothing into the profile (checked on 4.3 and 5.2), so the two run side
  // by side: one Blender startup's wait instead of two.
  const [validation, installation] = await Promise.all([
    runExtensionCommand(blender, ['validate', addon.archive ?? addon.root]),
    addon.archive ? runExtensionCommand(blender, ['install-file', '-r', EXTENSION_REPOSITORY, addon.archive], /^STATUS Installed/m) : undefined,
  ]);
  if (validation.outcome === 'refused') throw refusal(addon, blender, 'validate', validation.problems);
  if (installation?.outcome === 'refused') throw refusal(addon, blender, 'install-file', installation.problems);
  if (installation?.outcome === 'ok' && validation.outcome === 'ok') return "installed by Blender's own installer (--command extension install-file)";
  await copyAddonFiles(addon.root, target);
  if (validation.outcome === 'unavailable') return `placed in the user_default repository folder (Blender ${blender.version} has no working --command extension)`;
  return 'validated by Blender, placed in the user_default repository folder';
}

/** `success`: what a successful run prints (install-file exits 0 on some refusals). */
async function runExtensionCommand(blender: InstallingBlender, args: string[], success?: RegExp): Promise<CommandResult> {
  const command = ['--factory-startup', '--command', 'extension', ...args];
  const run = await execa(blender.executable, command, { env: blender.environment, extendEnv: true, reject: false, all: true, stdin: 'ignore', timeout: 120_000 });
  const output = run.all ?? '';
  await appendFile(blender.logFile, `$ ${blender.executable} ${command.join(' ')}\n${output}\n`, { mode: 0o600 });
  if (/^Unrecognized command/m.test(output)) return { outcome: 'unavailable' };
  if (run.exitCode === 0 && (!success || success.test(output))) return { outcome: 'ok' };
  return { outcome: 'refused', problems: blenderProblems(output) };
}

/**
 * Blender's own words from an extension command's output: one problem per entry, from its
 * first error on, without FATAL_ERROR: prefixes, the "Error parsing TOML" headline, the
 * manifest's path, or startup noise (sid's Blender prints a traceback for its extension
 * manager). A line ending in ":" continues on the next ("not found in:\n(3D View, ...)").
 */
export function blenderProblems(output: string): string[] {
  const lines = output.split(/\r?\n/).map((line) => line.replace(/^FATAL_ERROR: /, '').replace(/^Error in TOML "[^"]*" /, '').trimEnd());
  const first = lines.findIndex((line) => /^(Error|ERROR|loading)\b/.test(line));
  const relevant = (first < 0 ? lines.slice(-3) : lines.slice(first)).filter((line) => line !== '' && !/^\s/.test(line) && !/^Error parsing TOML/.test(line));
  const problems: string[] = [];
  for (const line of relevant) {
    if (problems.length > 0 && problems.at(-1)!.endsWith(':')) problems[problems.length - 1] += ` ${line}`;
    else problems.push(line);
  }
  return problems.length > 0 ? problems : ['(it printed no reason; see the Blender log)'];
}

function refusal(addon: ExtensionSource, blender: InstallingBlender, command: string, problems: string[]): UserError {
  const keyPath = keyPathOfProblem(problems[0]!);
  const location = keyPath ? locationOf(addon.manifest, keyPath) : undefined;
  const where = location ? `${location.file}:${location.line}` : addon.manifest.shownAs;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more, listed below)` : '';
  return new UserError(
    `${where}: Blender ${blender.version} refuses the extension '${addon.id}' (blender --command extension ${command}): ${problems[0]!.replace(/\.$/, '')}${more}.`,
    problems.length > 1 ? problems.join('\n') : undefined,
    location,
  );
}
