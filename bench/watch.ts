import { spawn } from 'node:child_process';
import { appendFile, cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const EXAMPLE = path.join(ROOT, 'examples', 'echo-addon');

export interface WatchCost {
  tests: number;
  /** a save of the add-on → the run's last line (reload, the tests, the probes), median */
  saveToResultMs: number;
  /** the tests' own time in that run (as the runner measured each), median */
  testsOwnMs: number;
  /** the same work as a fresh command: Blender started, the add-on enabled, tests, probes, stopped */
  freshCommandMs: number;
}

/**
 * --watch against a fresh command, on the example add-on and its probes, with `tests` trivial
 * tests beside them (0: the probes alone). The watch runs as a user runs it (the CLI, its
 * output read as it comes); each save appends a comment to the add-on, so it is reloaded.
 */
export async function watchCost(blender: string, tests: number, saves: number): Promise<WatchCost> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'bg-bench-watch-'));
  await cp(path.join(EXAMPLE, 'echo_addon'), path.join(work, 'echo_addon'), { recursive: true });
  await cp(path.join(EXAMPLE, 'probes'), path.join(work, 'probes'), { recursive: true });
  const args = ['--blender-path', blender, '--addon', path.join(work, 'echo_addon'), '--port', '6688', '--probes', path.join(work, 'probes', '*.json')];
  if (tests > 0) {
    await mkdir(path.join(work, 'tests'));
    const perFile = 10;
    for (let f = 0; f < tests / perFile; f++) {
      const body = Array.from({ length: perFile }, (_, t) => `    def test_${t}(self):\n        self.assertEqual(${t} + 1, ${t + 1})\n`).join('\n');
      await writeFile(path.join(work, 'tests', `test_part_${f}.py`), `import unittest\n\n\nclass Part(unittest.TestCase):\n${body}`);
    }
    args.push('--tests', path.join(work, 'tests'), '--test-runner', 'unittest');
  }
  const started = performance.now();
  await execa(process.execPath, [CLI, ...args], { env: { NO_COLOR: '1' } });
  const freshCommandMs = performance.now() - started;

  const watch = spawn(process.execPath, [CLI, '--watch', ...args], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  const waiters: { pattern: RegExp; from: number; resolve: (match: RegExpExecArray) => void }[] = [];
  watch.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    if (process.env['BG_BENCH_DEBUG']) process.stderr.write(chunk);
    for (const waiter of waiters.splice(0)) {
      const match = waiter.pattern.exec(output.slice(waiter.from));
      if (match) waiter.resolve(match);
      else waiters.push(waiter);
    }
  });
  /** The first match of `pattern` in the output after `from` (what came already, or what comes). */
  const next = (pattern: RegExp, from = output.length) =>
    new Promise<RegExpExecArray>((resolve) => {
      const match = pattern.exec(output.slice(from));
      if (match) resolve(match);
      else waiters.push({ pattern, from, resolve });
    });
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  try {
    await next(/Watching\. Press a/, 0);
    const times: number[] = [];
    const own: number[] = [];
    for (let save = 0; save < saves; save++) {
      const from = output.length;
      const done = next(/\d+ passed, \d+ failed \(.*reloaded in .*\)\n/);
      const saved = performance.now();
      await appendFile(path.join(work, 'echo_addon', '__init__.py'), `\n# save ${save}\n`);
      await done;
      times.push(performance.now() - saved);
      own.push([...output.slice(from).matchAll(/^✓ \S+\.py › .* \((\d+)ms\)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0));
      await next(/Watching\. Press a/, from);
    }
    return { tests, saveToResultMs: median(times), testsOwnMs: median(own), freshCommandMs };
  } finally {
    watch.stdin.write('q');
    await new Promise((resolve) => watch.on('exit', resolve));
  }
}
