import { chmodSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { findLeftovers } from '../../src/session/leftovers.js';
import { TEST_BLENDERS, describeOnEachBlender, testBlenders } from '../helpers/blender.js';
import { FIXTURE_ADDON, writeProbeFile } from '../helpers/fixture-run.js';
import { freePort } from '../helpers/ports.js';

/** A file that exists but has no execute bit (even root may not run it). */
const NOT_EXECUTABLE = path.join(os.tmpdir(), 'bg-not-executable.txt');
writeFileSync(NOT_EXECUTABLE, 'not a program\n', { mode: 0o644 });
chmodSync(NOT_EXECUTABLE, 0o644);

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

function cli(args: string[]) {
  return execa(process.execPath, [CLI, ...args], { cwd: ROOT, reject: false, env: { NO_COLOR: '1' } });
}

// The README's command uses the Blender on PATH, as a newcomer's would.
describe.skipIf(TEST_BLENDERS.length === 0)("the README's example", () => {
  it('runs end to end and passes', async () => {
    const result = await execa('npm', ['run', '--silent', 'example'], { cwd: ROOT, reject: false, env: { NO_COLOR: '1' } });
    expect(result.stdout).toMatch(/^✓ echo service › echo returns what it is sent/m);
    expect(result.stdout).toMatch(/^✓ scene info › the default scene, read through bpy/m);
    expect(result.stdout).toMatch(/Blender stopped gracefully in \S+; no leftover processes\./);
    expect(result.stdout).toMatch(/^5 passed, 0 failed$/m);
    expect(result.exitCode).toBe(0);
  });
});

describeOnEachBlender('the command line', (blender) => {
  it('SIGINT to the CLI mid-run still stops Blender gracefully and leaves nothing behind', async () => {
    const port = await freePort();
    const probe = await writeProbeFile({ steps: [{ name: 'waits for a reply that never comes', send: { type: 'no_reply' } }] });
    const args = ['--blender-path', blender.executable, '--addon', FIXTURE_ADDON, '--port', String(port), '--probes', probe, '--env', `FIXTURE_PORT=${port}`];
    const run = cli(args);
    run.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready in')) setTimeout(() => run.kill('SIGINT'), 300);
    });
    const result = await run;

    expect(result.stdout).toContain('Blender stopped gracefully');
    expect(result.stdout).toMatch(/^Failed: The run was cancelled; Blender was stopped and checked for leftover processes\./m);
    expect(result.exitCode).toBe(1);
    const runId = /blender-([0-9a-f-]{36})\.log/.exec(result.stdout)?.[1];
    expect(runId).toBeDefined();
    expect(await findLeftovers(runId!, -1)).toEqual([]);
  });
});

describeOnEachBlender(
  'Blender flags on the command line',
  (blender) => {
    it('--blender-args --online-mode reaches Blender (a value may start with "-")', async () => {
      const probe = await writeProbeFile({ steps: [{ name: 'online', blender: 'bpy.app.online_access', expect: true }] });
      const result = await cli(['--blender-path', blender.executable, '--addon', FIXTURE_ADDON, '--probes', probe, '--blender-args', '--online-mode']);
      expect(result.stdout).toMatch(/^1 passed, 0 failed$/m);
      expect(result.exitCode).toBe(0);
    });
  },
  testBlenders({ min: '4.2' }),
);

describeOnEachBlender(
  'an extension on a Blender before 4.2, on the command line',
  (blender) => {
    it('fails in one sentence; with --incompatible-blender skip it says Skipped and exits 0', async () => {
      const args = ['--blender-path', blender.executable, '--addon', 'test/fixtures/extensions/fixture_extension'];
      const failed = await cli(args);
      expect(failed.stdout).toMatch(/^Failed: The addon test\/fixtures\/extensions\/fixture_extension is a Blender extension .*, which Blender runs from 4\.2\.0 on; this is Blender \d/m);
      expect(failed.exitCode).toBe(1);

      const skipped = await cli([...args, '--incompatible-blender', 'skip']);
      expect(skipped.stdout).toMatch(/^Skipped: The addon test\/fixtures\/extensions\/fixture_extension is a Blender extension/m);
      expect(skipped.stdout).not.toContain('Failed');
      expect(skipped.exitCode).toBe(0);
    });
  },
  testBlenders({ below: '4.2' }),
);

// Bad input is refused before Blender starts: node stands in for Blender, never launched.
describe('bad input on the command line: one sentence, no stack trace', () => {
  const ok = ['--blender-path', process.execPath, '--addon', FIXTURE_ADDON];
  it.each([
    { args: [...ok, '--port', '70000'], says: "Input 'port' must be a whole number from 1 to 65535, got '70000'." },
    { args: [...ok, '--startup-timeout', 'soon'], says: "Input 'startup-timeout' must be a positive duration such as 500ms, 30s, 2m or 45, got 'soon'." },
    { args: [...ok, '--pump', 'step'], says: "Input 'pump' must be module:function, such as my_addon.server:step." },
    { args: [...ok, '--env', 'NOEQUALS'], says: "Input 'env' must be KEY=VALUE lines, got 'NOEQUALS'." },
    { args: ['--blender-path', process.execPath, '--addon', 'no/such/addon'], says: "Input 'addon': no/such/addon does not exist." },
    { args: ['--blender-path', NOT_EXECUTABLE, '--addon', FIXTURE_ADDON], says: `Input 'blender-path': ${NOT_EXECUTABLE} is not executable.` },
    { args: ['--blender-path', 'no-such-blender-here', '--addon', FIXTURE_ADDON], says: "Input 'blender-path': no 'no-such-blender-here' command on PATH; install Blender or give the path to its executable." },
    { args: [...ok, '--probes', 'test/fixtures/none/*.json'], says: `Input 'probes': 'test/fixtures/none/*.json' matches no files (relative to ${ROOT}).` },
    { args: [...ok, '--probes', 'test/fixtures/probes/no-port.json'], says: "Probe file test/fixtures/probes/no-port.json:3 (step 'echo') has no port to talk to: set the 'port' input, or \"target\": {\"port\": ...} in the file." },
    { args: ['--blender-path', process.execPath], says: "Input 'addon' is required: the path to your addon folder, .py file or .zip." },
  ])('$says', async ({ args, says }) => {
    const result = await cli(args);
    expect(result.stdout.split('\n')).toContain(`Failed: ${says}`);
    expect(result.stdout + result.stderr).not.toMatch(/^\s+at /m);
    expect(result.exitCode).toBe(1);
  });

  it('an unknown flag names the flag', async () => {
    const result = await cli(['--prot', '1']);
    expect(result.stderr).toMatch(/Unknown option '--prot'.*Run with --help/);
    expect(result.exitCode).toBe(2);
  });

  it('--help lists every input', async () => {
    const result = await cli(['--help']);
    expect(result.stdout).toMatch(/--shutdown-timeout <value>\s+How long Blender may take to exit/);
    expect(result.exitCode).toBe(0);
  });
});
