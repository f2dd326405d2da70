import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
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

describeOnEachBlender('--watch in a real terminal', (blender) => {
  it('each save reruns what it affects; a failing test, a register() that raises, f, a and q; nothing left behind', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'bg-watch-'));
    await cp(path.join(EXAMPLE, 'echo_addon'), path.join(work, 'echo_addon'), { recursive: true });
    await cp(path.join(EXAMPLE, 'probes'), path.join(work, 'probes'), { recursive: true });
    await mkdir(path.join(work, 'tests'));
    const testFile = path.join(work, 'tests', 'test_echo.py');
    const addonFile = path.join(work, 'echo_addon', '__init__.py');
    await writeFile(testFile, TEST_FILE);
    const port = await freePort();
    const args = ['--watch', '--blender-path', blender.executable, '--addon', path.join(work, 'echo_addon'), '--port', String(port), '--env', `ECHO_ADDON_PORT=${port}`, '--tests', path.join(work, 'tests'), '--probes', path.join(work, 'probes', '*.json'), '--test-runner', 'unittest'];
    const command = `cd ${ROOT} && NO_COLOR=1 ${process.execPath} ${CLI} ${args.map((a) => `'${a}'`).join(' ')}; echo "WATCH EXITED $?"; sleep 600`;
    const terminal = Terminal.start(`bg-watch-${process.pid}-${port}`, command);
    try {
      let at = await terminal.waitFor(/6 passed, 0 failed \(the first run; .*\)\n.*Watching\. Press a/);

      // A test edited to fail runs alone, and fails; f runs only it; back to passing.
      await edit(testFile, (t) => t.replace('"result": {"n": 1}}', '"result": {"n": 2}}'));
      at = await terminal.waitFor(/0 passed, 1 failed \(tests\/test_echo\.py changed|0 passed, 1 failed \(.*test_echo\.py changed/, at);
      terminal.keys('f');
      at = await terminal.waitFor(/0 passed, 1 failed \(f: what failed/, at);
      await edit(testFile, (t) => t.replace('"result": {"n": 2}}', '"result": {"n": 1}}'));
      at = await terminal.waitFor(/1 passed, 0 failed \(.*test_echo\.py changed/, at);

      // register() raising: said with the user's file and line; the watch waits; fixed, it reloads.
      await edit(addonFile, (t) => t.replace('def register():\n', 'def register():\n    raise RuntimeError("broken on purpose")\n'));
      at = await terminal.waitFor(/The add-on did not enable: .*echo_addon\/__init__\.py:\d+: register\(\) raised RuntimeError: broken on purpose/, at);
      await edit(addonFile, (t) => t.replace('    raise RuntimeError("broken on purpose")\n', ''));
      at = await terminal.waitFor(/6 passed, 0 failed \(.*__init__\.py changed; reloaded in [\d.]+m?s/, at);

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
});
