import { cp, mkdir, mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeOnEachBlender } from '../helpers/blender.js';
import { freePort } from '../helpers/ports.js';
import { Terminal } from '../helpers/terminal.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const EXAMPLE = path.join(ROOT, 'examples', 'echo-addon');

const TEST_FILE = `import unittest

from echo_addon import handle


class Echo(unittest.TestCase):
    def test_echo_returns_its_params(self):
        self.assertEqual(handle({"type": "echo", "params": {"n": 1}}), {"status": "success", "result": {"n": 1}})
`;

/** Edits a file as an editor saves it: the new text in place. */
async function edit(file: string, change: (text: string) => string): Promise<void> {
  await writeFile(file, change(await readFile(file, 'utf8')));
}

/** Edits a file as vim, `sed -i` and JetBrains' safe write save it: a new file renamed over the old (a new inode). */
async function editByRename(file: string, change: (text: string) => string): Promise<void> {
  await writeFile(`${file}.swp-new`, change(await readFile(file, 'utf8')));
  await rename(`${file}.swp-new`, file);
}

/** The watch's command line in tmux: the example add-on copied to a folder of its own, its tests and probes. */
async function watchedExample(blender: { executable: string }, extra: string[] = []) {
  const work = await mkdtemp(path.join(os.tmpdir(), 'bg-watch-'));
  await cp(path.join(EXAMPLE, 'echo_addon'), path.join(work, 'echo_addon'), { recursive: true });
  await cp(path.join(EXAMPLE, 'probes'), path.join(work, 'probes'), { recursive: true });
  await mkdir(path.join(work, 'tests'));
  const testFile = path.join(work, 'tests', 'test_echo.py');
  const addonFile = path.join(work, 'echo_addon', '__init__.py');
  await writeFile(testFile, TEST_FILE);
  const port = await freePort();
  const args = [
    '--watch',
    '--blender-path',
    blender.executable,
    '--addon',
    path.join(work, 'echo_addon'),
    '--port',
    String(port),
    '--env',
    `ECHO_ADDON_PORT=${port}`,
    '--tests',
    path.join(work, 'tests'),
    '--probes',
    path.join(work, 'probes', '*.json'),
    '--test-runner',
    'unittest',
    '--html-report',
    path.join(work, 'report'),
    ...extra,
  ];
  const command = `cd ${ROOT} && NO_COLOR=1 ${process.execPath} ${CLI} ${args.map((a) => `'${a}'`).join(' ')}; echo "WATCH EXITED $?"; sleep 600`;
  return { terminal: Terminal.start(`bg-watch-${process.pid}-${port}`, command), testFile, addonFile, page: path.join(work, 'report', 'index.html') };
}

describeOnEachBlender('--watch in a real terminal', (blender) => {
  it('each save reruns what it affects; a failing test, a register() that raises, f, a and q; nothing left behind', async () => {
    const { terminal, testFile, addonFile, page } = await watchedExample(blender);
    const pageText = () => readFile(page, 'utf8').catch(() => '');
    try {
      let at = await terminal.waitFor(/6 passed, 0 failed \(the first run; .*\)\n.*Watching\. Press a/);
      // html-report: each run's page, for show-report's next reload
      await expect.poll(pageText).toContain('test_echo.py::');

      // A test edited to fail runs alone, and fails; f runs only it; back to passing.
      await edit(testFile, (t) => t.replace('"result": {"n": 1}}', '"result": {"n": 2}}'));
      at = await terminal.waitFor(/0 passed, 1 failed \(tests\/test_echo\.py changed|0 passed, 1 failed \(.*test_echo\.py changed/, at);
      await expect.poll(pageText).toContain('"outcome":"failed"');
      terminal.keys('f');
      at = await terminal.waitFor(/0 passed, 1 failed \(f: what failed/, at);
      await edit(testFile, (t) => t.replace('"result": {"n": 2}}', '"result": {"n": 1}}'));
      at = await terminal.waitFor(/1 passed, 0 failed \(.*test_echo\.py changed/, at);

      // register() raising (saved by rename): said with the user's file and line; the watch waits;
      // fixed, it reloads; the register() error of code replaced since does not fail the verdict at q.
      await editByRename(addonFile, (t) => t.replace('def register():\n', 'def register():\n    raise RuntimeError("broken on purpose")\n'));
      at = await terminal.waitFor(/The add-on did not enable again: .*echo_addon\/__init__\.py:\d+: register\(\) raised RuntimeError: broken on purpose/, at);
      await edit(addonFile, (t) => t.replace('    raise RuntimeError("broken on purpose")\n', ''));
      at = await terminal.waitFor(/6 passed, 0 failed \(.*__init__\.py changed; reloaded in [\d.]+m?s/, at);
      // Saved by rename twice more, then in place: every save is heard (fs.watch went deaf after the first rename).
      for (const [n, save] of [
        [1, editByRename],
        [2, editByRename],
        [3, edit],
      ] as const) {
        await save(addonFile, (t) => `${t}\n# save ${n}\n`);
        at = await terminal.waitFor(/6 passed, 0 failed \(.*__init__\.py changed; reloaded in [\d.]+m?s/, at);
      }

      terminal.keys('f');
      at = await terminal.waitFor(/Nothing failed in the last run\./, at);
      terminal.keys('a');
      at = await terminal.waitFor(/6 passed, 0 failed \(a: everything/, at);
      terminal.keys('q');
      await terminal.waitFor(/WATCH EXITED \d+/, at);
      expect(terminal.screen().slice(at)).toMatch(/Blender stopped gracefully in .*; no leftover processes\.[\s\S]*6 passed, 0 failed\n[\s\S]*WATCH EXITED 0/);
    } finally {
      terminal.kill();
    }
  }, 300_000);

  it("the verdict at q is a run's: an add-on error seen under the watch fails it with addon-errors: fail, on the add-on's line", async () => {
    const { terminal, addonFile } = await watchedExample(blender);
    try {
      let at = await terminal.waitFor(/6 passed, 0 failed \(the first run; .*\)\n.*Watching\. Press a/);
      // A timer that raises, registered by register(): every test still passes.
      await editByRename(addonFile, (t) =>
        t.replace(
          'def register():\n',
          'def _fails_once():\n    return 1 / 0\n\n\ndef register():\n    bpy.app.timers.register(_fails_once, first_interval=0.0)\n',
        ),
      );
      at = await terminal.waitFor(/6 passed, 0 failed \(.*__init__\.py changed; reloaded in [\d.]+m?s/, at);
      terminal.keys('q');
      await terminal.waitFor(/WATCH EXITED \d+/, at);
      const line = (await readFile(addonFile, 'utf8')).split('\n').indexOf('    return 1 / 0') + 1;
      expect(terminal.screen().slice(at)).toMatch(new RegExp(`echo_addon/__init__\\.py:${line}[\\s\\S]*ZeroDivisionError[\\s\\S]*WATCH EXITED 1`));
    } finally {
      terminal.kill();
    }
  }, 300_000);
});
