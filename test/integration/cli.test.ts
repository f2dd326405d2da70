import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

function cli(args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [CLI, ...args], { cwd: ROOT, reject: false, env: { NO_COLOR: '1', RUNNER_TEMP: '', ...env } });
}

/** A fresh folder to stand in as TMPDIR, and inside it the run base the CLI would use. */
function tempBase(): { tmp: string; base: string } {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'bg-tmpdir-'));
  return { tmp, base: path.join(tmp, 'blender-bg-action') };
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
    expect(await findLeftovers({ runId: runId!, blenderPid: -1, descendants: [] })).toEqual([]);
  });
});

/** The CLI's peak resident memory, sampled from /proc while it runs (VmHWM is the high-water mark). */
function watchPeakMemory(pid: number): { stop: () => number } {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      peak = Math.max(peak, Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024);
    } catch {
      // it has exited
    }
  }, 20);
  return { stop: () => (clearInterval(timer), peak) };
}

// What the CLI does with Blender's output is Blender-independent: one Blender is enough.
describeOnEachBlender(
  'a chatty Blender and a slow reader',
  (blender) => {
    it('100 MB of Blender output to a slow pipe: memory stays bounded, the terminal says what it dropped, the log keeps every line', async () => {
      const port = await freePort();
      const probe = await writeProbeFile({
        steps: [{ name: 'print 100 MB', send: { type: 'print_lots', params: { megabytes: 100 } }, expect: { result: 'printed' } }],
      });
      const args = [
        '--blender-path',
        blender.executable,
        '--addon',
        FIXTURE_ADDON,
        '--port',
        String(port),
        '--probes',
        probe,
        '--env',
        `FIXTURE_PORT=${port}`,
        '--probe-timeout',
        '120s',
      ];
      // node's own spawn: execa drains a stream its caller reads slowly by itself.
      const run = spawn(process.execPath, [CLI, ...args], {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: '1', RUNNER_TEMP: '' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise<number | null>((resolve) => run.once('exit', resolve));
      const memory = watchPeakMemory(run.pid!);
      // The reader: one chunk (64 KiB at most), then a 50 ms pause: about 1.3 MB/s at best,
      // far slower than Blender prints.
      const stdout = run.stdout!;
      let text = '';
      stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        stdout.pause();
        setTimeout(() => stdout.resume(), 50);
      });
      await new Promise((resolve) => stdout.once('end', resolve));
      const exitCode = await exited;
      const peak = memory.stop();

      expect(text).toMatch(/^1 passed, 0 failed$/m);
      expect(exitCode).toBe(0);
      expect(text).toMatch(/… \d+ lines of Blender output not shown here: this output's reader was slower than Blender\. The log file has every line\./);
      expect(peak).toBeLessThan(400 * 1024 * 1024);
      const log = /^Blender log: (.*)$/m.exec(text)?.[1];
      const lines = readFileSync(log!, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('lots '));
      expect(lines).toHaveLength(Math.floor((100 * 1024 * 1024) / 100));
      expect(lines.at(-1)).toMatch(/^lots 01048575 x{90}$/);
    }, 120_000);
  },
  testBlenders({ below: '4.0' }),
);

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
      expect(failed.stdout).toMatch(
        /^Failed: The add-on test\/fixtures\/extensions\/fixture_extension is a Blender extension .*, which Blender runs from 4\.2\.0 on; this is Blender \d/m,
      );
      expect(failed.exitCode).toBe(1);

      const skipped = await cli([...args, '--incompatible-blender', 'skip']);
      expect(skipped.stdout).toMatch(/^Skipped: The add-on test\/fixtures\/extensions\/fixture_extension is a Blender extension/m);
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
    {
      args: [...ok, '--env', 'A=1', '--env', 'ghp_SECRET'],
      says: "Input 'env' must be KEY=VALUE lines (a name of letters, digits and _, then =); entry 2 is not, and is not shown here in case it holds a secret.",
    },
    { args: ['--blender-path', process.execPath, '--addon', 'no/such/addon'], says: "Input 'addon': no/such/addon does not exist." },
    { args: ['--blender-path', NOT_EXECUTABLE, '--addon', FIXTURE_ADDON], says: `Input 'blender-path': ${NOT_EXECUTABLE} is not executable.` },
    {
      args: ['--blender-path', 'no-such-blender-here', '--addon', FIXTURE_ADDON],
      says: "Input 'blender-path': no 'no-such-blender-here' command on PATH; install Blender or give the path to its executable.",
    },
    { args: [...ok, '--probes', 'test/fixtures/none/*.json'], says: `Input 'probes': 'test/fixtures/none/*.json' matches no files (relative to ${ROOT}).` },
    {
      args: [...ok, '--probes', 'test/fixtures/probes/no-port.json'],
      says: 'Probe file test/fixtures/probes/no-port.json:3 (step \'echo\') has no port to talk to: set the \'port\' input, or "target": {"port": ...} in the file.',
    },
    // No addon named, and this repository has none where add-ons are looked for (its examples are not picked).
    {
      args: ['--blender-path', process.execPath],
      says: `No add-on found in ${ROOT}: no folder with blender_manifest.toml or an __init__.py with bl_info (here, one level below, or below src/), and no .py file with bl_info here; set the 'addon' input to the folder, .py file or .zip to test.`,
    },
  ])('$says', async ({ args, says }) => {
    const result = await cli(args);
    expect(result.stdout.split('\n')).toContain(`Failed: ${says}`);
    expect(result.stdout + result.stderr).not.toMatch(/^\s+at /m);
    expect(result.exitCode).toBe(1);
  });

  it('a probe file nested 10,000 levels deep: one sentence at its line and column, and JUnit is still written', async () => {
    const file = await writeProbeFile(`{"steps": [{"name": "deep", "send": ${'['.repeat(10_000)}${']'.repeat(10_000)}}]}`);
    const junit = path.join(mkdtempSync(path.join(os.tmpdir(), 'bg-junit-')), 'junit.xml');
    const result = await cli([...ok, '--probes', file, '--junit-path', junit]);
    expect(result.stdout).toMatch(
      /^Failed: Invalid probe file: \/.*probe\.json:1:\d+: objects and arrays nest more than 64 levels deep here; a probe file needs far fewer\.$/m,
    );
    expect(result.stdout + result.stderr).not.toMatch(/RangeError|^\s+at /m);
    expect(readFileSync(junit, 'utf8')).toContain('failures="1"');
  });

  it('a probe file that is not UTF-8 names the line and column of the first bad byte', async () => {
    const file = await writeProbeFile('x');
    writeFileSync(file, Buffer.concat([Buffer.from('{\n  "name": "caf'), Buffer.from([0xe9]), Buffer.from('",\n  "steps": []\n}\n')])); // Latin-1 é
    const result = await cli([...ok, '--probes', file]);
    expect(result.stdout).toMatch(/^Failed: Invalid probe file: \/.*probe\.json:2:15: the file is not valid UTF-8 text; save it as UTF-8\.$/m);
  });

  it('a TMPDIR that does not exist is named, and not created (not even as root)', async () => {
    const { tmp } = tempBase();
    const missing = path.join(tmp, 'no', 'such');
    const result = await cli([...ok, '--probes', 'test/fixtures/probes/wrong-scene.json', '--port', '1'], { TMPDIR: missing });
    expect(result.stdout).toContain(
      `Failed: ${missing} does not exist (from the temporary directory (TMPDIR)), so there is nowhere to put the run directory; create it or point the temporary directory (TMPDIR) at a folder that exists.`,
    );
    expect(result.stdout + result.stderr).not.toMatch(/^\s+at /m);
  });

  it('a TMPDIR that is a file, not a folder: one sentence', async () => {
    const { tmp } = tempBase();
    const file = path.join(tmp, 'a-file');
    writeFileSync(file, '');
    const result = await cli([...ok, '--port', '1'], { TMPDIR: file });
    expect(result.stdout).toContain(
      `Failed: ${file} is not a directory (from the temporary directory (TMPDIR)); point the temporary directory (TMPDIR) at a folder.`,
    );
  });

  it("a run base that other users may write is refused (a shared runner: they could swap a run's files)", async () => {
    const { tmp, base } = tempBase();
    mkdirSync(base);
    chmodSync(base, 0o777);
    const result = await cli([...ok, '--port', '1'], { TMPDIR: tmp });
    expect(result.stdout).toContain(
      `Failed: ${base} can be written by other users (mode 0777), so another user could swap the files of a run; remove it, or point the temporary directory (TMPDIR) at a folder of your own.`,
    );
  });

  // Giving a folder to another user takes root (CI runs as root).
  it.runIf(process.getuid?.() === 0)('a run base that another user owns is refused', async () => {
    const { tmp, base } = tempBase();
    mkdirSync(base, { mode: 0o700 });
    chownSync(base, 65534, 65534); // nobody
    const result = await cli([...ok, '--port', '1'], { TMPDIR: tmp });
    expect(result.stdout).toContain(
      `Failed: ${base} belongs to another user (uid 65534, we are 0), so another user could swap the files of a run; remove it, or point the temporary directory (TMPDIR) at a folder of your own.`,
    );
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

describeOnEachBlender(
  'reports the command line cannot write',
  (blender) => {
    it('a junit-path under /proc is one sentence once Blender has stopped, and the command ends (no endless mkdir)', async () => {
      const result = await cli([
        '--blender-path',
        blender.executable,
        '--addon',
        path.join(ROOT, 'examples', 'echo-addon', 'echo_addon'),
        '--junit-path',
        '/proc/x/junit.xml',
      ]);
      expect(result.stdout).toMatch(/Blender stopped gracefully/);
      expect(result.stdout).toContain("Input 'junit-path': /proc/x/junit.xml could not be written (its folder does not exist and could not be made).");
      expect(result.exitCode).toBe(1);
    });
  },
  TEST_BLENDERS.slice(0, 1),
);
