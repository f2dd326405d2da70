import { stat } from 'node:fs/promises';
import { execa } from 'execa';

/** What `blender --version` did: its output and exit, and the version its first line names. */
export interface Banner {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** "4.3.2" from "Blender 4.3.2", "5.2.2" from "Blender 5.2.2 LTS"; undefined when it names none */
  version: string | undefined;
}

const answered = new Map<string, Banner>();

/**
 * `blender --version`, the one way this project asks a Blender what it is. A Blender that
 * answered is not asked again by this process while its file is the same (each start costs a
 * fraction of a second, and the check that a download starts and the version a decision needs
 * are the same question).
 */
export async function askBlender(executable: string): Promise<Banner> {
  const file = await stat(executable).catch(() => undefined);
  const key = file ? `${executable}\0${file.mtimeMs}\0${file.size}` : undefined;
  const known = key && answered.get(key);
  if (known) return known;
  const run = await execa(executable, ['--version'], { reject: false, timeout: 120_000, stdin: 'ignore' });
  const banner = { exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr, version: versionFromBanner(run.stdout) };
  if (key && banner.exitCode === 0 && banner.version !== undefined) answered.set(key, banner);
  return banner;
}

/** "4.3.2" from `blender --version`'s first line ("Blender 4.3.2", "Blender 5.2.2 LTS"). */
export function versionFromBanner(output: string): string | undefined {
  return /^Blender (\d+\.\d+(?:\.\d+)?)/m.exec(output)?.[1];
}

/** The last lines a command printed (stderr first), or its exit code when it printed nothing. */
export function whatItSaid(run: { stdout: string; stderr: string; exitCode?: number | undefined }, lines: number): string {
  return (run.stderr || run.stdout).trim().split('\n').slice(-lines).join(' | ') || `exit code ${run.exitCode}`;
}
