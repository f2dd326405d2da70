import { type ResultPromise, execa } from 'execa';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { expect, it } from 'vitest';
import { parseRunConfig, requireAddon } from '../../src/inputs/config.js';
import type { RawInputs } from '../../src/inputs/declarations.js';
import { runPipeline } from '../../src/main.js';
import { junitXml } from '../../src/report/junit.js';
import { resultFileOf } from '../../src/report/result-file.js';
import { acceptsConnections } from '../../src/session/port-owner.js';
import { listProcesses } from '../../src/session/process-table.js';
import { KEYS_LINE } from '../../src/watch/keys.js';
import { SCREEN } from '../../src/ui-check/virtual-display.js';
import { describeOnEachBlender, type TestBlender, testBlenders, versionOf } from '../helpers/blender.js';
import { FIXTURES } from '../helpers/fixture-run.js';
import { freePort } from '../helpers/ports.js';
import { RecordingReporter } from '../helpers/recording-reporter.js';
import { Terminal } from '../helpers/terminal.js';

// The add-on's UI on real Blender, in a window on the run's own Xvfb (.ci/run installs it and
// Mesa's GL drivers). ui_broken breaks the five ways add-ons broke on a new Blender; ui_clean draws
// everything cleanly; ui_faults is a service add-on whose panel hangs or crashes Blender on demand.
const ADDONS = path.join(FIXTURES, 'addons');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const BROKEN_FILE = path.join('test', 'fixtures', 'addons', 'ui_broken', '__init__.py');

async function lineOf(file: string, text: string): Promise<number> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  return lines.findIndex((l) => l.includes(text)) + 1;
}

async function draw(blender: TestBlender, addon: string, inputs: RawInputs = {}) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-ui-'));
  const reporter = new RecordingReporter();
  const config = parseRunConfig({ addon: path.join(ADDONS, addon), 'blender-path': blender.executable, 'ui-results': path.join(dir, 'ui'), ...inputs });
  const outcome = await runPipeline(requireAddon(config), reporter);
  return { outcome, reporter, dir };
}

describeOnEachBlender('the UI check', (blender) => {
  it('names each of the five breakages at its line, fails the run, and says so in every report', async () => {
    const { outcome } = await draw(blender, 'ui_broken');
    const file = path.join(ROOT, BROKEN_FILE);
    const at = async (text: string) => ({ file: BROKEN_FILE, line: await lineOf(file, text) });
    const property =
      versionOf(blender)[0] >= 5 ? 'UILayout.prop(): property not found: Object.gone_property' : 'rna_uiItemR: property not found: Object.gone_property';
    const errors = outcome.ui!.errors.map((e) => ({ target: e.target, kind: e.kind, file: e.file, line: e.line, message: e.message }));
    expect(errors).toEqual(
      expect.arrayContaining([
        {
          target: 'UIBROKEN_PT_sidebar',
          kind: 'raised',
          ...(await at('icon="NOT_AN_ICON"')),
          message: expect.stringMatching(
            /^TypeError: UILayout\.label\(\): error with keyword argument "icon" - +enum "NOT_AN_ICON" not found in \('NONE', .*…\)$/,
          ),
        },
        { target: 'UIBROKEN_PT_object', kind: 'printed', ...(await at('"gone_property"')), message: property },
        {
          target: 'UIBROKEN_UL_items',
          kind: 'raised',
          ...(await at('bogus_keyword=1')),
          message: expect.stringMatching(/^TypeError: UILayout\.label\(\): was called with invalid keyword argument\(s\) \(bogus_keyword\)/),
        },
        { target: 'UIBROKEN_MT_menu', kind: 'raised', ...(await at('raise RuntimeError')), message: 'RuntimeError: menu draw failed' },
        { target: 'VIEW3D_MT_add › add_menu', kind: 'raised', ...(await at('icon="HAIR_OLD"')), message: expect.stringMatching(/enum "HAIR_OLD" not found/) },
      ]),
    );
    expect(errors).toHaveLength(5);
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toMatch(
      new RegExp(
        `^The add-on's UI failed to draw: 5 errors on Blender ${blender.version.replace(/\./g, '\\.')}.*; first: ${BROKEN_FILE.replace(/\./g, '\\.')}:\\d+: `,
      ),
    );
    for (const error of outcome.ui!.errors.filter((e) => e.kind === 'raised')) {
      expect(error.traceback).toContain(`File "${BROKEN_FILE}", line ${error.line}`);
      expect(error.traceback).not.toContain('blender_bg');
    }
    // JUnit: a case per drawn class, failed with its errors; the result file keeps it for mode: report.
    const xml = junitXml(outcome);
    expect(xml).toMatch(
      new RegExp(
        `<testcase name="Broken sidebar \\(UIBROKEN_PT_sidebar\\)" classname="The add-on&apos;s UI \\(Blender ${blender.version.replace(/\./g, '\\.')}\\)|<testcase name="Broken sidebar \\(UIBROKEN_PT_sidebar\\)" classname="The add-on's UI`,
      ),
    );
    expect(xml.match(/<failure message="[^"]*"/g)?.filter((f) => /NOT_AN_ICON|gone_property|bogus_keyword|menu draw failed|HAIR_OLD/.test(f))).toHaveLength(5);
    const result = resultFileOf(outcome, { addonInput: 'ui_broken', toolVersion: '0.0.0' });
    expect(result.ui).toMatchObject({
      check: 'fail',
      drawn: 6,
      notDrawn: 0,
      errors: expect.arrayContaining([expect.objectContaining({ target: 'UIBROKEN_MT_menu', cycles: [0] })]),
    });
  });

  it('draws a clean UI whole (closed child panels, the Properties editor, lists, preferences, what it appended) with a picture of each', async () => {
    const { outcome, dir } = await draw(blender, 'ui_clean');
    expect(outcome.ok).toBe(true);
    const ui = outcome.ui!;
    expect(ui.errors).toEqual([]);
    expect(ui.targets.filter((t) => !t.drawn).map((t) => [t.id, t.reason, t.tried])).toEqual([
      ['UICLEAN_PT_edit_only', 'its poll() was false', "VIEW_3D › UI; Object mode, active mesh 'Cube'"],
    ]);
    expect(
      ui.targets
        .filter((t) => t.drawn)
        .map((t) => t.id)
        .sort(),
    ).toEqual(
      [
        'UICLEAN_MT_menu',
        'UICLEAN_PT_child',
        'UICLEAN_PT_object',
        'UICLEAN_PT_sidebar',
        'UICLEAN_UL_objects',
        'VIEW3D_HT_header › header_item',
        'VIEW3D_MT_add › add_menu',
        'ui_clean',
      ].sort(),
    );
    expect(ui.resultsDir).toBe(path.join(dir, 'ui'));
    // A popup's picture is the popup, cut out of the window: smaller than the screen, and not blank.
    const sidebar = PNG.sync.read(await readFile(ui.targets.find((t) => t.id === 'UICLEAN_PT_sidebar')!.image!));
    expect(sidebar.width).toBeLessThan(SCREEN.width / 2);
    expect(sidebar.height).toBeLessThan(SCREEN.height / 2);
    expect(
      new Set(Array.from({ length: sidebar.width }, (_, x) => sidebar.data.readUInt32BE(((sidebar.height >> 1) * sidebar.width + x) * 4))).size,
    ).toBeGreaterThan(3);
    expect((await readdir(path.join(dir, 'ui'))).sort()).toEqual(
      expect.arrayContaining(['UICLEAN_MT_menu.png', 'UICLEAN_PT_object.png', 'UICLEAN_PT_sidebar.png', 'VIEW3D_MT_add.png', 'ui_clean.png']),
    );
  });

  it('ui-setup stages what poll() asks for; warn lists the errors and passes; off starts no second Blender', async () => {
    const edit = await draw(blender, 'ui_clean', { 'ui-setup': "bpy.ops.object.mode_set(mode='EDIT')" });
    expect(edit.outcome.ui!.targets.find((t) => t.id === 'UICLEAN_PT_edit_only')).toMatchObject({ drawn: true });
    const warn = await draw(blender, 'ui_broken', { 'ui-check': 'warn' });
    expect(warn.outcome.ok).toBe(true);
    expect(warn.outcome.ui!.errors).toHaveLength(5);
    const off = await draw(blender, 'ui_broken', { 'ui-check': 'off' });
    expect(off.outcome.ok).toBe(true);
    expect(off.outcome.ui).toBeUndefined();
    expect(existsSync(path.join(off.dir, 'ui'))).toBe(false);
  });

  it('a service add-on is drawn once the session has let go of its port; its probes ran first; reload-check draws again', async () => {
    const port = await freePort();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-ui-'));
    const probes = path.join(dir, 'probes.json');
    await writeFile(probes, JSON.stringify({ steps: [{ name: 'serves', send: { ask: 1 }, expect: { ok: true } }] }));
    const served = await draw(blender, 'ui_faults', { port: String(port), env: [`UI_FAULTS_PORT=${port}`], probes: [probes], 'reload-check': '1' });
    expect(served.outcome.results.map((r) => [r.step, r.passed])).toEqual([
      ['serves', true],
      ['serves (reload 1/1)', true],
    ]);
    expect(served.outcome.ui).toMatchObject({ problem: undefined, errors: [], targets: [expect.objectContaining({ id: 'UIFAULTS_PT_panel', drawn: true })] });
    expect(served.outcome.ok).toBe(true);
    const broken = await draw(blender, 'ui_broken', { 'reload-check': '1' });
    expect(broken.outcome.ui!.errors.every((e) => e.cycles.join() === '0,1')).toBe(true);
  });

  it('a draw that hangs is named after probe-timeout; Blender dying in a draw names the class and keeps its crash report', async () => {
    const hang = await draw(blender, 'ui_faults', { env: ['UI_FAULTS=hang'], 'probe-timeout': '3s' });
    const line = await lineOf(path.join(ADDONS, 'ui_faults', '__init__.py'), 'class UIFAULTS_PT_panel');
    expect(hang.outcome.ui!.errors).toEqual([
      expect.objectContaining({
        kind: 'hang',
        target: 'UIFAULTS_PT_panel',
        line,
        message: 'drawing it did not return within 3s (probe-timeout); Blender was stopped',
      }),
    ]);
    expect(hang.outcome.ok).toBe(false);
    const crash = await draw(blender, 'ui_faults', { env: ['UI_FAULTS=crash'] });
    expect(crash.outcome.ui!.errors).toEqual([
      expect.objectContaining({
        kind: 'crash',
        target: 'UIFAULTS_PT_panel',
        line,
        message: expect.stringMatching(/^Blender was killed by SIGSEGV while drawing it/),
      }),
    ]);
    expect(crash.outcome.failure).toMatch(
      /^The add-on's UI failed to draw: one error on Blender .*: Faults \(UIFAULTS_PT_panel\): Blender was killed by SIGSEGV while drawing it/,
    );
  });

  it("test files that draw the UI run in the UI check's Blender, with a window; the others in the session, headless", async () => {
    const tests = path.join(FIXTURES, 'unit-tests', 'ui-tests');
    const { outcome, reporter } = await draw(blender, 'ui_clean', { tests: [tests], 'test-runner': 'unittest' });
    expect(outcome.results.map((r) => [r.step, r.passed])).toEqual([
      ['test_plain.py::Plain::test_background', true],
      ['test_panels_draw.py::Panels::test_a_panel_that_is_not_there', false],
      ['test_panels_draw.py::Panels::test_the_sidebar_panel_opens', true],
      ['test_panels_draw.py::Panels::test_there_is_a_window', true],
    ]);
    expect(outcome.results[1]!.failure).toMatch(/UICLEAN_PT_no_such_panel/);
    expect(reporter.infoLines).toContainEqual(
      expect.stringMatching(
        /test_panels_draw\.py draws the UI \(call_panel, a screenshot, simulated input\): run in the UI check's Blender, with a window, after the session\.$/,
      ),
    );
    expect(outcome.ui!.errors).toEqual([]);
  });

  it('an OpenGL older than this Blender needs: one sentence that says so; it fails the run only with ui-check: fail', async () => {
    // Mesa offers what it is told to: 3.0 is below 3.x's 3.3, 3.3 below 4.x's and 5.x's 4.3
    const old = versionOf(blender)[0] >= 4 ? '3.3' : '3.0';
    const inputs = { env: [`MESA_GL_VERSION_OVERRIDE=${old}`], 'startup-timeout': '8s' };
    const failing = await draw(blender, 'ui_clean', { ...inputs, 'ui-check': 'fail' });
    expect(failing.outcome.ok).toBe(false);
    expect(failing.outcome.failure).toMatch(
      versionOf(blender)[0] >= 4
        ? /^The add-on's UI was not drawn: Blender's window did not open within 8s \(startup-timeout\), and it was stopped; it printed nothing: an OpenGL older than it needs \(4\.3 for Blender 4\.x and 5\.x/
        : /^The add-on's UI was not drawn: Blender exited with code \d+ before its window opened: it needs OpenGL 3\.3; its log: /,
    );
    const auto = await draw(blender, 'ui_clean', inputs);
    expect(auto.outcome.ok).toBe(true);
    expect(auto.outcome.ui!.problem).toMatchObject({ kind: 'window' });
  });

  it('--watch draws the UI again after each save, in place or by rename (sed -i)', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'bg-ui-watch-'));
    await cp(path.join(ADDONS, 'ui_broken'), path.join(work, 'ui_broken'), { recursive: true });
    const file = path.join(work, 'ui_broken', '__init__.py');
    const terminal = Terminal.start(
      `bg-ui-watch-${process.pid}-${blender.version.replace(/\W/g, '-')}`,
      `cd ${work} && node ${CLI} --watch --blender-path ${blender.executable} --addon ui_broken; sleep 30`,
    );
    try {
      let at = await terminal.waitFor(/UI: 5 draw errors/);
      // saved in place: the menu draws now
      await writeFile(file, (await readFile(file, 'utf8')).replace('raise RuntimeError("menu draw failed")', 'self.layout.label(text="fixed")'));
      at = await terminal.waitFor(/ui_broken\/__init__\.py changed; reloaded in [^;]+; UI: 4 draw errors/, at);
      // saved by rename, as vim and sed -i do: the icon is one Blender has
      execFileSync('sed', ['-i', 's/icon="NOT_AN_ICON"/icon="INFO"/', file]);
      at = await terminal.waitFor(/UI: 3 draw errors/, at);
      expect(terminal.screen()).toMatch(
        /✗ ui_broken\/__init__\.py:\d+: Broken object \(UIBROKEN_PT_object\): (rna_uiItemR|UILayout\.prop\(\)): property not found: Object\.gone_property/,
      );
      terminal.keys('q');
      await terminal.waitFor(/Blender stopped gracefully/, at);
    } finally {
      terminal.kill();
    }
  }, 300_000);

  it('the CLI killed outright (SIGKILL) mid-step, mid-draw or idle: Blender, the display and all they started end within seconds, the port free', async () => {
    const cases: { name: string; args: string[]; env?: string[]; until: RegExp; after: number }[] = [
      { name: 'mid-step', args: ['--probes', 'PROBES'], until: /ready in /, after: 1500 },
      { name: 'mid-draw', args: ['--probe-timeout', '120s'], env: ['UI_FAULTS=hang'], until: /Drawing the add-on's UI/, after: 3000 },
      { name: 'idle', args: ['--watch'], until: new RegExp(KEYS_LINE.slice(0, 20)), after: 500 },
    ];
    for (const each of cases) {
      const port = await freePort();
      const base = await mkdtemp(path.join(os.tmpdir(), `bg-kill-${each.name}-`));
      await mkdir(path.join(base, 'runner'));
      const probes = path.join(base, 'slow.json');
      await writeFile(probes, JSON.stringify({ steps: [{ name: 'sleeps', blender: { exec: 'import time; time.sleep(120)' }, timeout: '200s' }] }));
      const args = [
        CLI,
        '--blender-path',
        blender.executable,
        '--addon',
        path.join(ADDONS, 'ui_faults'),
        '--port',
        String(port),
        '--env',
        `UI_FAULTS_PORT=${port}`,
        ...(each.env ?? []).flatMap((e) => ['--env', e]),
        ...each.args.map((a) => (a === 'PROBES' ? probes : a)),
      ];
      const cli: ResultPromise = execa(process.execPath, args, {
        cwd: base,
        reject: false,
        env: { NO_COLOR: '1', RUNNER_TEMP: path.join(base, 'runner') },
        stdin: 'pipe',
      });
      let said = '';
      cli.stdout?.on('data', (chunk: Buffer) => (said += chunk.toString()));
      const deadline = Date.now() + 90_000;
      while (!each.until.test(said) && Date.now() < deadline && cli.exitCode === null) await sleep(50);
      expect(said, each.name).toMatch(each.until);
      await sleep(each.after);
      const ours = async () => (await listProcesses()).filter((p) => p.state !== 'Z' && p.command.includes(base));
      expect((await ours()).length, `${each.name}: Blender is running before the kill`).toBeGreaterThan(0);
      cli.kill('SIGKILL');
      await cli;
      // A dying process's command line empties before its sockets close (the kernel frees its memory first): both are waited for.
      const gone = Date.now() + 6000;
      while (((await ours()).length > 0 || (await acceptsConnections('127.0.0.1', port))) && Date.now() < gone) await sleep(100);
      expect(await ours(), each.name).toEqual([]);
      expect(await acceptsConnections('127.0.0.1', port), `${each.name}: the port is free`).toBe(false);
    }
  });
});

describeOnEachBlender(
  "the UI check, an extension's preferences",
  (blender) => {
    it('are drawn as a user opens them, and their error is on its line', async () => {
      const addon = path.join(FIXTURES, 'extensions', 'ui_prefs_ext');
      const reporter = new RecordingReporter();
      const outcome = await runPipeline(requireAddon(parseRunConfig({ addon, 'blender-path': blender.executable })), reporter);
      const line = await lineOf(path.join(addon, '__init__.py'), 'NOT_AN_ICON_EITHER');
      expect(outcome.ui!.targets).toEqual([expect.objectContaining({ id: 'bl_ext.user_default.ui_prefs_ext', kind: 'preferences', drawn: true })]);
      expect(outcome.ui!.errors).toEqual([
        expect.objectContaining({ target: 'bl_ext.user_default.ui_prefs_ext', line, message: expect.stringMatching(/enum "NOT_AN_ICON_EITHER" not found/) }),
      ]);
      expect(outcome.ok).toBe(false);
    });
  },
  testBlenders({ min: '4.2' }),
);
