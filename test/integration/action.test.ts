import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { describeOnEachBlender, testBlenders } from '../helpers/blender.js';
import { freePort } from '../helpers/ports.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs dist/index.js the way the runner does: inputs as INPUT_* variables, files for outputs. */
async function runAction(inputs: Record<string, string>) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-action-'));
  const files = { GITHUB_OUTPUT: path.join(dir, 'output'), GITHUB_STEP_SUMMARY: path.join(dir, 'summary'), GITHUB_PATH: path.join(dir, 'path') };
  for (const file of Object.values(files)) await writeFile(file, '');
  const env = { ...files, RUNNER_TEMP: dir, ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])) };
  const result = await execa(process.execPath, [path.join(ROOT, 'dist', 'index.js')], { cwd: ROOT, env, reject: false });
  const outputText = await readFile(files.GITHUB_OUTPUT, 'utf8');
  // GITHUB_OUTPUT holds name<<delimiter / value / delimiter blocks
  const outputs = Object.fromEntries([...outputText.matchAll(/^([\w-]+)<<(\S+)\n([^]*?)\n\2$/gm)].map((m) => [m[1], m[3]]));
  return {
    result,
    outputs,
    summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8'),
    addedPaths: (await readFile(files.GITHUB_PATH, 'utf8')).split('\n').filter(Boolean),
  };
}

describeOnEachBlender('the action entry (dist/index.js)', (blender) => {
  it('runs the example, sets outputs and writes the job summary', async () => {
    const port = String(await freePort());
    const { result, outputs, summary, addedPaths } = await runAction({
      'blender-path': blender.executable,
      addon: 'examples/echo-addon/echo_addon',
      port,
      env: `ECHO_ADDON_PORT=${port}`,
      probes: 'examples/echo-addon/probes/*.json',
    });

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^::group::Start Blender \(.*\) with addon echo_addon$/m);
    expect(result.stdout).toMatch(/^✓ scene info › the default scene, read through bpy/m);
    expect(result.stdout).not.toContain('::error::');
    expect(outputs).toMatchObject({ passed: '5', failed: '0', 'blender-version': expect.stringMatching(/^\d+\.\d+/) });
    expect(outputs['log-path']).toMatch(/blender-[0-9a-f-]{36}\.log$/);
    expect(await readFile(outputs['log-path']!, 'utf8')).toContain('echo addon listening');
    expect(summary).toContain('✅ blender-bg-action: 5 passed, 0 failed');
    expect(summary).toMatch(/<td>echo returns what it is sent<\/td><td>✅ passed<\/td><td>\d+ms<\/td><td>examples\/echo-addon\/probes\/echo\.json:7<\/td>/);
    expect(summary).toContain('Blender stopped gracefully');
    expect(addedPaths).toEqual([path.dirname(outputs['blender-path']!)]); // later steps find this Blender on PATH
    expect(path.isAbsolute(addedPaths[0]!)).toBe(true);
  });

  it('a junit-path that cannot be written: one sentence and a failed job, no stack trace; the result file, outputs and summary still written', async () => {
    const port = String(await freePort());
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-unwritable-'));
    const { result, outputs, summary } = await runAction({
      'blender-path': blender.executable,
      addon: 'examples/echo-addon/echo_addon',
      port,
      env: `ECHO_ADDON_PORT=${port}`,
      probes: 'examples/echo-addon/probes/echo.json',
      'junit-path': dir,
      'result-path': path.join(dir, 'result.json'),
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(`::error::Input 'junit-path': ${dir} could not be written (it is a directory).`);
    expect(result.stdout).not.toMatch(/^\s+at /m);
    expect(JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8'))).toMatchObject({ schema: 1, verdict: { ok: true } });
    expect(outputs).toMatchObject({ passed: expect.stringMatching(/^[1-9]/), failed: '0', deprecations: '0' });
    expect(summary).toContain('could not be written (it is a directory)');
  });

  it('a failing step fails the job with one sentence, an annotation on its line, the diff in the summary, and JUnit', async () => {
    const port = String(await freePort());
    const junit = path.join(await mkdtemp(path.join(os.tmpdir(), 'bg-junit-')), 'reports', 'junit.xml');
    const { result, outputs, summary } = await runAction({
      'blender-path': blender.executable,
      addon: 'test/fixtures/addons/fixture_service',
      port,
      env: `FIXTURE_PORT=${port}`,
      probes: 'test/fixtures/probes/wrong-scene.json',
      'junit-path': junit,
    });
    expect(result.stdout).toMatch(
      /^::error title=Probe step failed%3A scene name,file=test\/fixtures\/probes\/wrong-scene\.json,line=4::\$\.result\.name: expected "Not the scene", got "Scene"$/m,
    );
    expect(summary).toContain('expected $.result.name: "Not the scene"');
    const xml = await readFile(junit, 'utf8');
    expect(xml).toMatch(
      /<testcase name="scene name" classname="an expectation the add-on does not meet" file="test\/fixtures\/probes\/wrong-scene\.json" line="4" time="[\d.]+">\n\s+<failure message="\$\.result\.name: expected &quot;Not the scene&quot;, got &quot;Scene&quot;"/,
    );

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(
      /^::error::1 of 1 probe steps failed; first: test\/fixtures\/probes\/wrong-scene\.json › scene name: \$\.result\.name: expected "Not the scene", got "Scene"\.$/m,
    );
    expect(outputs).toMatchObject({ passed: '0', failed: '1' });
    expect(summary).toContain('❌ $.result.name: expected "Not the scene", got "Scene"');
  });

  it("a broken UI fails the job: an annotation on each line, the outputs, the summary's table and the pictures", async () => {
    const { result, outputs, summary } = await runAction({ 'blender-path': blender.executable, addon: 'test/fixtures/addons/ui_broken' });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^::error::The add-on's UI failed to draw: 5 errors on Blender /m);
    expect(result.stdout).toMatch(
      /^::error title=The add-on's UI failed to draw on Blender [^:]+%3A Broken sidebar \(UIBROKEN_PT_sidebar\),file=test\/fixtures\/addons\/ui_broken\/__init__\.py,line=23::TypeError: UILayout\.label\(\)/m,
    );
    expect(result.stdout.match(/^::error title=The add-on's UI failed to draw/gm)).toHaveLength(5);
    expect(outputs['ui-errors']).toBe('5');
    expect(outputs['ui-results']).toMatch(/blender-bg-action\/ui-results\/[\w-]+$/);
    expect(summary).toContain("❌ The add-on's UI: 6 drawn, 5 draw errors");
    expect(summary).toContain('<code>test/fixtures/addons/ui_broken/__init__.py:55</code>');
    expect(summary).toMatch(
      /A picture of each panel and menu drawn, in <code>[^<]+<\/code> \(output <code>ui-results<\/code>\): .*<code>UIBROKEN_PT_sidebar\.png<\/code>/,
    );
  });
});

describeOnEachBlender(
  'the action entry, an extension on a Blender before 4.2',
  (blender) => {
    it('incompatible-blender: skip passes the step, with a notice, a skipped summary and the skipped output', async () => {
      const { result, outputs, summary } = await runAction({
        'blender-path': blender.executable,
        addon: 'test/fixtures/extensions/fixture_extension',
        port: '6688',
        'incompatible-blender': 'skip',
      });
      const reason = `The add-on test/fixtures/extensions/fixture_extension is a Blender extension (test/fixtures/extensions/fixture_extension/blender_manifest.toml), which Blender runs from 4.2.0 on; this is Blender ${blender.version}.`;
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain(`::notice::Skipped: ${reason}`);
      expect(outputs).toMatchObject({ skipped: 'true', passed: '0', failed: '0' });
      expect(summary).toContain('⏭️ blender-bg-action: skipped');
      expect(summary).toContain(`${reason} (incompatible-blender: skip)`);
    });
  },
  testBlenders({ below: '4.2' }),
);

describe('the action entry with bad input', () => {
  it('an extension manifest Blender’s installer would refuse: the annotation sits on the manifest’s line, before any download', async () => {
    const { result, outputs } = await runAction({ 'blender-version': '4.2', addon: 'test/fixtures/extensions/not_semver', port: '6688' });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      '::error title=blender-bg-action,file=test/fixtures/extensions/not_semver/blender_manifest.toml,line=6::' +
        'test/fixtures/extensions/not_semver/blender_manifest.toml:6: Blender would refuse this extension manifest: ' +
        `key "version" invalid: to be a semantic-version, found '1.2'.`,
    );
    expect(result.stdout).not.toContain('Downloading');
    expect(outputs).toMatchObject({ passed: '0', failed: '0', skipped: 'false' });
  });

  it('watch is refused in one sentence: a CI job has no one to save files or press keys', async () => {
    const { result } = await runAction({ addon: 'examples/echo-addon/echo_addon', watch: 'true' });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      "::error::Input 'watch' is for the command line (npx blender-bg-action --watch): a CI job has no one to save files or press keys.",
    );
  });

  it('fails before launch with one sentence, still setting outputs and the summary', async () => {
    const { result, outputs, summary } = await runAction({ 'blender-path': process.execPath, addon: 'examples/echo-addon/echo_addon', port: '70000' });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("::error::Input 'port' must be a whole number from 1 to 65535, got '70000'.");
    expect(result.stdout).not.toMatch(/^\s+at /m);
    expect(outputs).toMatchObject({ passed: '0', failed: '0' });
    expect(summary).toContain("Input 'port' must be a whole number from 1 to 65535, got '70000'.");
  });
});
