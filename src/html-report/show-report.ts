import { existsSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { DEFAULT_REPORT_FOLDER } from '../inputs/declarations.js';
import { serveReport } from './serve.js';

/**
 * `blender-bg-action show-report [folder]`: the report served on localhost until Ctrl+C, and
 * opened in the browser where there is one (the address is printed either way), as
 * `playwright show-report` does. The page is read again on every request: after a --watch run
 * wrote it again, a reload shows the new run. Returns the exit code.
 */
export async function showReport(args: string[], write: (line: string) => void, stop: Promise<unknown>): Promise<number> {
  const folder = args[0] ?? DEFAULT_REPORT_FOLDER;
  if (!existsSync(path.join(folder, 'index.html'))) {
    write(
      `No HTML report in ${folder}: a run writes one there (html-report; the command line's default is ${DEFAULT_REPORT_FOLDER}/), or name its folder: show-report <folder>.`,
    );
    return 2;
  }
  const served = await serveReport(folder);
  write(`Serving ${path.join(folder, 'index.html')} at ${served.url} (Ctrl+C stops it).`);
  await openBrowser(served.url);
  await stop;
  await served.close();
  return 0;
}

/** The system's way to open an address, where a person could see it; quietly nothing otherwise. */
async function openBrowser(url: string): Promise<void> {
  const command =
    process.platform === 'darwin'
      ? ['open', url]
      : process.platform === 'win32'
        ? ['cmd', '/c', 'start', '', url]
        : process.env['DISPLAY'] || process.env['WAYLAND_DISPLAY']
          ? ['xdg-open', url]
          : undefined;
  if (!command || process.env['CI'] === 'true') return;
  await execa(command[0]!, command.slice(1), { reject: false, stdio: 'ignore', detached: true }).catch(() => undefined);
}
