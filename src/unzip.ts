import { mkdir } from 'node:fs/promises';
import { extractZip } from '@actions/tool-cache';
import { execa } from 'execa';

/**
 * Unpacks a .zip into `dest`, quietly: `unzip -o -q` on Linux and macOS (what tool-cache runs,
 * without the `[command]unzip …` line @actions/exec prints into a terminal), tool-cache's
 * PowerShell on Windows. Throws with unzip's own words when it cannot.
 */
export async function unzip(zipFile: string, dest: string): Promise<void> {
  await mkdir(dest, { recursive: true });
  if (process.platform === 'win32') {
    await extractZip(zipFile, dest);
    return;
  }
  const run = await execa('unzip', ['-o', '-q', zipFile, '-d', dest], { stdin: 'ignore', reject: false });
  if (run.failed) throw new Error((run.stderr || run.stdout).trim().split('\n').slice(-2).join(' | ') || run.shortMessage);
}
