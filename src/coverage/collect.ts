import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { execa } from 'execa';
import { sourceFileOf } from '../addon/source-map.js';
import type { StagedAddon } from '../addon/staged-addon.js';
import { displayPath } from '../display-path.js';
import { pythonScriptPath } from '../package-files.js';
import { writeReport } from '../write-report.js';
import { coberturaXml, lcov } from './formats.js';
import { type CoveragePyJson, type CoverageSummary, type FileCoverage, fromCoveragePy, mergeCoverage, summarize } from './model.js';

interface CoverageFiles {
  /** coverage.py's data file, saved by the driver as the session went */
  dataFile: string;
  /** its JSON report, written by the driver after unregister() */
  jsonFile: string;
}

export interface CoverageCollection {
  /** each Blender that measured (the run's session, its other test workers), with its staged copy */
  sources: { files: CoverageFiles; addon: StagedAddon }[];
  /** the Blender whose Python makes the JSON from a saved data file (a session that did not finish) */
  executable: string;
  environment: Record<string, string>;
  /** coverage-path: Cobertura XML, or LCOV for .lcov / .info */
  outputPath: string;
  cwd?: string;
}

/**
 * The session's coverage, under the repository's paths, written to coverage-path: from the
 * driver's JSON report, or (a session that crashed or was killed) from its last saved data,
 * reported by Blender's own Python. Undefined when nothing was measured (Blender never got
 * as far as the add-on); `problem` when the report could not be written.
 */
export async function collectCoverage(collection: CoverageCollection): Promise<{ summary: CoverageSummary | undefined; problem: string | undefined }> {
  const cwd = collection.cwd ?? process.cwd();
  const measured: FileCoverage[][] = [];
  for (const { files, addon } of collection.sources) {
    const json = await jsonReport(collection, files, addon);
    if (json) measured.push(fromCoveragePy(json, (file) => sourceFileOf(file, addon, cwd) ?? displayPath(file, cwd)));
  }
  if (measured.length === 0) return { summary: undefined, problem: undefined };
  const files = mergeCoverage(measured);
  const asLcov = /\.(lcov|info)$/i.test(collection.outputPath);
  const problem = await writeReport(collection.outputPath, 'coverage-path', asLcov ? lcov(files) : coberturaXml(files, cwd));
  return { summary: summarize(files, problem ? undefined : collection.outputPath), problem };
}

/** The driver's JSON report, or one made by Blender's Python from the last saved data (a session that did not finish). */
async function jsonReport(collection: CoverageCollection, files: CoverageFiles, addon: StagedAddon): Promise<CoveragePyJson | undefined> {
  if (!existsSync(files.jsonFile) && existsSync(files.dataFile)) {
    await execa(collection.executable, ['-b', '--factory-startup', '--python', pythonScriptPath('blender_bg_coverage.py'), '--', files.dataFile, files.jsonFile, addon.path], {
      env: collection.environment,
      extendEnv: true,
      reject: false,
      stdin: 'ignore',
      timeout: 120_000,
    });
  }
  const text = await readFile(files.jsonFile, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as CoveragePyJson);
}
