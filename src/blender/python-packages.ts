import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { formatDuration } from '../duration.js';
import { UserError } from '../errors.js';
import { pythonScriptPath } from '../package-files.js';
import { restoreFromActionsCache, saveToActionsCache, toolCacheRoot } from './cache.js';
import { type Platform, currentPlatform } from './platform.js';

/** The folder name of python-packages installs in the tool cache. */
const TOOL = 'blender-python-packages';
/** Written into a folder once pip finished: a half-installed folder is never used. */
const COMPLETE = '.blender-bg-action-complete';
/** python/blender_bg_pip.py: Blender's Python has no pip (and ensurepip bundles none). */
const EXIT_NO_PIP = 3;

export interface PythonPackagesRequest {
  /** the python-packages lines: requirements, pip options, `-r file` */
  lines: string[];
  /** where `-r` paths are relative to */
  cwd: string;
  /** the Blender whose Python gets them, run with the run's environment (isolated profile) */
  executable: string;
  blenderVersion: string | undefined;
  environment: Record<string, string>;
  /** tool cache within the job and the Actions cache across runs */
  cache: boolean;
  /** the run's private folder: the requirements file pip reads is written there */
  workDir: string;
  /** pip's output is appended to the run's kept log */
  logFile: string;
  log: (line: string) => void;
  platform?: Platform;
}

/** The requirements as pip reads them, `-r` files made absolute; and what they depend on. */
export interface Requirements {
  /** the requirements file's text */
  text: string;
  /** every -r file's contents: a changed file is a new install */
  fingerprint: string;
}

/**
 * Reads the python-packages lines: each is a requirement or a pip option line, as in a
 * requirements file; `-r file` / `--requirement file` names a file relative to `cwd`, which
 * must exist.
 */
export async function readRequirements(lines: string[], cwd: string): Promise<Requirements> {
  const out: string[] = [];
  const hash = createHash('sha256');
  for (const line of lines) {
    const file = /^(?:-r|--requirement)(?:\s+|=)(.+)$/.exec(line)?.[1]?.trim();
    if (file === undefined) {
      out.push(line);
      hash.update(`${line}\n`);
      continue;
    }
    const absolute = path.resolve(cwd, file);
    const contents = await readFile(absolute, 'utf8').catch(() => undefined);
    if (contents === undefined) throw new UserError(`Input 'python-packages': -r ${file} does not exist (relative to ${cwd}).`);
    out.push(`-r ${absolute}`);
    hash.update(`-r\n${contents}\n`);
  }
  return { text: `${out.join('\n')}\n`, fingerprint: hash.digest('hex') };
}

/**
 * The folder python-packages go into: one per Blender version, Python version, platform and
 * requirements (with the contents of their -r files).
 */
export function packagesFolderName(blenderVersion: string | undefined, pythonVersion: string, platform: Platform, requirements: Requirements): string {
  const hash = createHash('sha256').update(requirements.fingerprint).digest('hex').slice(0, 16);
  const python = pythonVersion.split('.').slice(0, 2).join('.');
  return `blender-${blenderVersion ?? 'unknown'}-py${python}-${platform.os}-${platform.arch}-${hash}`;
}

/**
 * Installs python-packages for the Blender under test, and returns the folder the driver puts
 * on sys.path. pip runs with Blender's own Python (python/blender_bg_pip.py inside Blender),
 * `--target` a folder in the tool cache, never into Blender's installation. A folder already
 * there (or in the Actions cache) is used as it is. pip reads its own environment
 * (PIP_INDEX_URL, PIP_FIND_LINKS...).
 */
export async function installPythonPackages(request: PythonPackagesRequest): Promise<string> {
  const platform = request.platform ?? currentPlatform();
  const requirements = await readRequirements(request.lines, request.cwd);
  const python = await blenderPythonVersion(request);
  const name = packagesFolderName(request.blenderVersion, python, platform, requirements);
  const folder = path.join(toolCacheRoot(), TOOL, name);
  const key = `blender-bg-action-python-packages-${name}`;
  const complete = () => existsSync(path.join(folder, COMPLETE));

  if (request.cache && complete()) {
    request.log(`python-packages: cached for Python ${python} (${folder}).`);
    return folder;
  }
  if (request.cache && (await restoreFromActionsCache([folder], key, [], 'python-packages')) && complete()) {
    request.log(`python-packages: restored from the Actions cache for Python ${python} (${folder}).`);
    return folder;
  }

  const started = performance.now();
  // pip may take minutes; its own progress goes to the kept log, this line says it started.
  request.log(`python-packages: installing for Python ${python} with pip inside Blender (pip's output: ${request.logFile}).`);
  const requirementsFile = path.join(request.workDir, 'python-packages.txt');
  await writeFile(requirementsFile, requirements.text, { mode: 0o600 });
  const partial = `${folder}.partial-${randomBytes(4).toString('hex')}`;
  await mkdir(path.dirname(folder), { recursive: true });
  try {
    const installed = await runPip(request, python, ['install', '--target', partial, '--disable-pip-version-check', '--no-input', '-r', requirementsFile]);
    await rm(folder, { recursive: true, force: true });
    await rename(partial, folder);
    await writeFile(path.join(folder, COMPLETE), `${requirements.text}`);
    request.log(`python-packages: ${installed} for Python ${python} in ${formatDuration(performance.now() - started)} (${folder}).`);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  if (request.cache) await saveToActionsCache([folder], key, 'python-packages');
  return folder;
}

/** Blender's Python version (one Blender start: Debian's Blender runs the system Python). */
async function blenderPythonVersion(request: PythonPackagesRequest): Promise<string> {
  const code = "import sys; print('BLENDER_BG_PYTHON=%d.%d.%d' % sys.version_info[:3])";
  const run = await execa(request.executable, ['-b', '--factory-startup', '--python-expr', code], {
    env: request.environment,
    extendEnv: true,
    reject: false,
    all: true,
    stdin: 'ignore',
    timeout: 120_000,
  });
  const version = /^BLENDER_BG_PYTHON=(\d+\.\d+\.\d+)$/m.exec(run.all ?? '')?.[1];
  if (!version) {
    throw new UserError(
      `Blender's Python version could not be asked before installing python-packages (${request.executable} exited with ${run.exitCode ?? run.signal}).`,
      tail(run.all ?? ''),
    );
  }
  return version;
}

/** Runs pip inside Blender; returns what it installed ("installed a-1.0, b-2.0"), or one sentence why not. */
async function runPip(request: PythonPackagesRequest, python: string, args: string[]): Promise<string> {
  const command = ['-b', '--factory-startup', '--python', pythonScriptPath('blender_bg_pip.py'), '--', ...args];
  const run = await execa(request.executable, command, {
    env: { ...request.environment, PIP_ROOT_USER_ACTION: 'ignore', PYTHONDONTWRITEBYTECODE: '1' },
    extendEnv: true,
    reject: false,
    all: true,
    stdin: 'ignore',
    timeout: 1_800_000,
  });
  const output = run.all ?? '';
  await appendFile(request.logFile, `$ ${request.executable} ${command.join(' ')}\n${output}\n`, { mode: 0o600 });
  if (run.exitCode === 0) {
    const installed = /^Successfully installed (.+)$/m.exec(output)?.[1];
    return installed ? `installed ${installed.trim().split(/\s+/).join(', ')}` : 'nothing new to install';
  }
  const forPython = `Blender ${request.blenderVersion ?? ''}'s Python ${python}`.replace("Blender 's", "Blender's");
  if (run.exitCode === EXIT_NO_PIP) {
    throw new UserError(
      `${forPython} has no pip, so python-packages cannot be installed: add pip to that Python (Debian and Ubuntu: apt-get install python3-pip; blender.org's builds bundle it).`,
      tail(output),
    );
  }
  const reason = /^ERROR: (.+)$/m.exec(output)?.[1] ?? `pip exited with ${run.exitCode ?? run.signal}`;
  throw new UserError(
    `pip could not install python-packages for ${forPython}: ${reason.replace(/\.$/, '')}.`,
    `Last lines of pip's output (the whole of it is in ${request.logFile}):\n${tail(output)}`,
  );
}

function tail(output: string, lines = 20): string {
  return output.trimEnd().split('\n').slice(-lines).join('\n');
}
