import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { parse } from 'smol-toml';
import { expect, it } from 'vitest';
import { manifestProblems } from '../../src/addon/manifest-rules.js';
import { blenderProblems } from '../../src/addon/extension-install.js';
import type { RawInputs } from '../../src/inputs/declarations.js';
import { runAndReport } from '../../src/run-and-report.js';
import { type TestBlender, describeOnEachBlender, testBlenders } from '../helpers/blender.js';
import { FIXTURE_EXTENSION_MODULE, buildWithBlender, prepareFixtureExtension, setManifestKey, zipContents } from '../helpers/extension.js';
import { FIXTURES, writeProbeFile } from '../helpers/fixture-run.js';
import { freePort } from '../helpers/ports.js';
import { RecordingReporter } from '../helpers/recording-reporter.js';

const WHOAMI = { type: 'whoami' };

/** Runs the pipeline with the fixture extension at `addon` and one whoami step. */
async function runExtension(blender: TestBlender, addon: string, options: { expect?: unknown; inputs?: RawInputs } = {}) {
  const port = await freePort();
  const probes = [await writeProbeFile({ name: 'extension', steps: [{ name: 'whoami', send: WHOAMI, expect: options.expect ?? { status: 'success' } }] })];
  const reporter = new RecordingReporter();
  const raw: RawInputs = { addon, port: String(port), probes, env: [`FIXTURE_PORT=${port}`], 'blender-path': blender.executable, ...options.inputs };
  const outcome = await runAndReport(raw, reporter);
  return { outcome, reporter };
}

/** What a real install gives: the extension's package name, its wheel, its preferences, online access. */
const AS_REALLY_INSTALLED = {
  status: 'success',
  result: {
    package: FIXTURE_EXTENSION_MODULE,
    name: `${FIXTURE_EXTENSION_MODULE}.server`,
    wheel: 'from the fixture wheel',
    preferences: 'hello from the preferences',
    online_access: true,
  },
};

describeOnEachBlender(
  'a 4.2+ extension',
  (blender) => {
    it("zipped by Blender's own `extension build`: installed by Blender's installer, answers as bl_ext.user_default.<id>", async () => {
      const zip = buildWithBlender(blender.executable, await prepareFixtureExtension());
      const { outcome, reporter } = await runExtension(blender, zip, { expect: AS_REALLY_INSTALLED });

      expect(outcome.results.map((r) => [r.step, r.failure])).toEqual([['whoami', undefined]]);
      expect(outcome.ok).toBe(true);
      expect(reporter.infoLines).toContain(`Extension ${FIXTURE_EXTENSION_MODULE}: installed by Blender's own installer (--command extension install-file).`);
      expect(outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });
      // The wheel came out of the package into the isolated profile, not from any network.
      expect(outcome.results[0]?.reply).toMatch(/extensions\/\.local\/lib\/python3\.\d+\/site-packages\/fixture_wheel/);
    });

    it('its own Python tests import it as bl_ext.user_default.<id>, inside the same session', async () => {
      const tests = [path.join(FIXTURES, 'unit-tests', 'test_extension_import.py')];
      const { outcome } = await runExtension(blender, await prepareFixtureExtension(), { inputs: { tests, 'test-runner': 'unittest' } });
      expect(outcome.results.map((r) => [r.step, r.passed, r.failure])).toEqual([
        ['test_extension_import.py::ExtensionName::test_imports_as_bl_ext', true, undefined],
        ['whoami', true, undefined],
      ]);
    });

    it('as a folder: placed in the repository as Blender loads a folder, answers the same way', async () => {
      const { outcome, reporter } = await runExtension(blender, await prepareFixtureExtension(), { expect: AS_REALLY_INSTALLED });

      expect(outcome.results.map((r) => r.failure)).toEqual([undefined]);
      expect(outcome.failure).toBeUndefined();
      expect(outcome.ok).toBe(true);
      expect(reporter.infoLines).toContain(`Extension ${FIXTURE_EXTENSION_MODULE}: placed in the user_default repository folder.`);
      expect(reporter.warnings).toEqual([]);
    });

    it('online access: on for a network extension by default, off when the input says false (and then it does not serve)', async () => {
      const folder = await prepareFixtureExtension();
      const off = await runExtension(blender, folder, { inputs: { 'online-access': 'false', 'startup-timeout': '3s' } });
      expect(off.outcome.failure).toMatch(/^The add-on was enabled but nothing accepted connections on 127\.0\.0\.1:\d+ within startup-timeout \(3s\)/);
      expect(off.reporter.output).toContain('fixture_extension: online access is off, so it does not serve (as network extensions do)');

      const withoutNetwork = await prepareFixtureExtension((manifest) => manifest.replace(/^\[permissions\]\nnetwork = .*$/m, ''));
      const forced = await runExtension(blender, withoutNetwork, { inputs: { 'online-access': 'true' }, expect: { result: { online_access: true } } });
      expect(forced.outcome.ok).toBe(true);
    });

    it('what only the extensions platform refuses (an unknown tag, a long permission reason) installs and runs, with a warning on its line in Blender’s words', async () => {
      const validate = `Blender ${blender.version}'s extension validate (the extensions platform's upload check) refuses:`;
      const cases = [
        // validate looks at tags only once the rest passes: one problem per manifest.
        {
          edit: (m: string) => m.replace('license = ', 'tags = ["Not A Blender Tag"]\nlicense = '),
          line: 14,
          words: 'loading tags: found invalid tag "Not A Blender Tag" not found in: (3D View, ',
        },
        {
          edit: setManifestKey('network', '"Talks to the test server on the local machine, for probing it well"'),
          line: 20,
          words: 'key "permissions" invalid: value of "network": a value no longer than 64 characters expected, found 66',
        },
      ];
      for (const { edit, line, words } of cases) {
        const folder = await prepareFixtureExtension(edit);
        for (const addon of [folder, buildZip(folder)]) {
          const { outcome, reporter } = await runExtension(blender, addon, { expect: AS_REALLY_INSTALLED });
          expect(outcome.ok, addon).toBe(true);
          expect(reporter.warnings, addon).toEqual([expect.stringContaining(`${validate} ${words}`)]);
          expect(reporter.warnings[0]).toMatch(/; Blender installs and runs it all the same\.$/);
          if (addon === folder) expect(reporter.warningsAt).toEqual([{ file: manifestOf(folder), line }]);
        }
      }
    });

    it('what Blender’s installer refuses fails before launch with its words: the TypeScript rules for a folder, install-file itself for a zip, word for word', async () => {
      const cases = [
        setManifestKey('version', '"1.2"'),
        setManifestKey('id', '"fixture__extension"'),
        setManifestKey('license', '[]'),
        setManifestKey('name', '" padded"'),
      ];
      for (const edit of cases) {
        const folder = await prepareFixtureExtension(edit);
        const ours = manifestProblems(parse(await readFile(manifestOf(folder), 'utf8'), { integersAsBigInt: true }) as Record<string, unknown>, false).map(
          (p) => p.message,
        );
        const asFolder = await runExtension(blender, folder);
        expect(asFolder.outcome.failure).toBe(
          `${manifestOf(folder)}:${asFolder.outcome.failureAt?.line}: Blender would refuse this extension manifest: ${ours[0]}.`,
        );
        const zip = buildZip(folder);
        const run = await execa(blender.executable, ['--factory-startup', '--command', 'extension', 'install-file', '-r', 'user_default', zip], {
          reject: false,
          all: true,
          env: { BLENDER_USER_RESOURCES: path.join(path.dirname(folder), 'profile') },
        });
        expect(blenderProblems(run.all ?? '')).toEqual([ours[0]]);
      }
    });

    it('blender_version_min above this Blender: one sentence, or a skip when incompatible-blender says so', async () => {
      const folder = await prepareFixtureExtension(setManifestKey('blender_version_min', '"99.0.0"'));
      const failed = await runExtension(blender, folder);
      expect(failed.outcome.failure).toBe(
        `The extension 'fixture_extension' needs Blender 99.0.0 or newer (blender_version_min in ${manifestOf(folder)}); this is Blender ${blender.version}.`,
      );
      expect(failed.outcome.failureAt?.line).toBe(12);

      const skipped = await runExtension(blender, folder, { inputs: { 'incompatible-blender': 'skip' } });
      expect(skipped.outcome).toMatchObject({ ok: true, skipped: failed.outcome.failure, results: [], teardown: undefined });
    });

    it('the TypeScript copy of the manifest rules gives Blender’s own verdict, word for word', async () => {
      // Wordings that 4.3 and 5.2 share; each manifest breaks one rule.
      const cases = [
        setManifestKey('network', '"Talks to the test server on the local machine, for probing it well"'),
        (m: string) => m.replace(/^maintainer = .*\n/m, ''),
        setManifestKey('id', '"fixture__extension"'),
        setManifestKey('version', '"1.2"'),
        setManifestKey('blender_version_min', '"4.2"'),
        setManifestKey('license', '[]'),
        setManifestKey('wheels', String.raw`["./wheels\\fixture_wheel-1.0.0-py3-none-any.whl"]`),
      ];
      for (const edit of cases) {
        const folder = await prepareFixtureExtension(edit);
        const ours = manifestProblems(parse(await readFile(manifestOf(folder), 'utf8'), { integersAsBigInt: true }) as Record<string, unknown>, true).map(
          (p) => p.message,
        );
        const run = await execa(blender.executable, ['--factory-startup', '--command', 'extension', 'validate', folder], { reject: false, all: true });
        expect(run.exitCode).not.toBe(0);
        expect(ours).toEqual(blenderProblems(run.all ?? ''));
      }
    });
  },
  testBlenders({ min: '4.2' }),
);

describeOnEachBlender(
  'an extension on a Blender before 4.2',
  (blender) => {
    it('is refused in one sentence before launch, or skipped when incompatible-blender says so', async () => {
      const folder = await prepareFixtureExtension();
      const { outcome } = await runExtension(blender, folder);
      expect(outcome.failure).toBe(
        `The add-on ${folder} is a Blender extension (${manifestOf(folder)}), which Blender runs from 4.2.0 on; this is Blender ${blender.version}.`,
      );
      expect(outcome.teardown).toBeUndefined();

      const skipped = await runExtension(blender, folder, { inputs: { 'incompatible-blender': 'skip' } });
      expect(skipped.outcome).toMatchObject({ ok: true, skipped: outcome.failure });
    });
  },
  testBlenders({ below: '4.2' }),
);

describeOnEachBlender('a manifest Blender’s installer would refuse', (blender) => {
  it('fails before any download or launch, naming the rule and the manifest’s line', async () => {
    const folder = await prepareFixtureExtension(setManifestKey('version', '"1.2"'));
    const zip = zipContents(folder, path.join(path.dirname(folder), 'contents.zip'));
    const manifest = manifestOf(folder);
    const rule = `key "version" invalid: to be a semantic-version, found '1.2'`;

    const asFolder = await runExtension(blender, folder);
    expect(asFolder.outcome.failure).toBe(`${manifest}:6: Blender would refuse this extension manifest: ${rule}.`);
    expect(asFolder.outcome.failureAt).toEqual({ file: manifest, line: 6 });
    expect(asFolder.reporter.events).toEqual(['finished']); // nothing started, and no download either

    const asZip = await runExtension(blender, zip);
    expect(asZip.outcome.failure).toBe(`${zip} › blender_manifest.toml: Blender would refuse this extension manifest: ${rule}.`);
  });
});

/** The folder zipped as `extension build` lays it out (contents at the top), beside it. */
function buildZip(folder: string): string {
  return zipContents(folder, path.join(path.dirname(folder), `${path.basename(folder)}-${Math.random().toString(36).slice(2)}.zip`));
}

/** The fixture copies live in the OS temp dir, outside the working directory: shown absolute. */
function manifestOf(folder: string): string {
  return path.join(folder, 'blender_manifest.toml');
}

describeOnEachBlender('addon-kind: a dual add-on (bl_info and a manifest) its authors test as a legacy add-on', (blender) => {
  const dual = path.join(FIXTURES, 'addons', 'dual_placeholder');
  const probe = async () => [
    await writeProbeFile({
      name: 'dual',
      steps: [
        {
          name: 'registered as a legacy add-on',
          blender: "('dual_placeholder' in C.preferences.addons, __import__('dual_placeholder').__addon_enabled__, hasattr(bpy.ops.dual_placeholder, 'hello'))",
          expect: [true, true, true],
        },
      ],
    }),
  ];

  it('legacy: installed under its folder name on every Blender, the placeholder manifest version not checked', async () => {
    const { outcome } = await runAndReportQuietly({ addon: dual, probes: await probe(), 'addon-kind': 'legacy', 'blender-path': blender.executable });
    expect(outcome.results.map((r) => [r.step, r.passed])).toEqual([['registered as a legacy add-on', true]]);
    expect(outcome.addonModule).toBe('dual_placeholder');
    expect(outcome.ok).toBe(true);
  });

  it('auto: the manifest is checked, and its placeholder version refused in one sentence on its line, before Blender starts', async () => {
    const { outcome } = await runAndReportQuietly({ addon: dual, probes: await probe(), 'blender-path': blender.executable });
    expect(outcome.failure).toMatch(/version/);
    expect(outcome.failureAt?.file).toMatch(/dual_placeholder\/blender_manifest\.toml$/);
    expect(outcome.ready).toBe(false);
  });
});

async function runAndReportQuietly(raw: RawInputs) {
  const reporter = new RecordingReporter();
  return { outcome: await runAndReport(raw, reporter), reporter };
}
