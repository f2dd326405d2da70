import { readFileSync } from 'node:fs';
import { globSync } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CIM_QUERY, PS_ARGS } from '../../src/session/process-table.js';

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  jobs: Record<string, { steps: Step[]; strategy?: { matrix?: Record<string, unknown[]> } }>;
}

const root = new URL('../..', import.meta.url).pathname;
const action = parse(readFileSync(`${root}/action.yml`, 'utf8')) as { inputs: Record<string, unknown> };
const workflows = globSync('.github/workflows/*.yml', { cwd: root }).map((file) => ({
  file,
  workflow: parse(readFileSync(`${root}/${file}`, 'utf8')) as Workflow,
}));
const steps = workflows.flatMap(({ file, workflow }) => Object.values(workflow.jobs).flatMap((job) => job.steps.map((step) => ({ file, step }))));

describe('.github/workflows', () => {
  it('every input a workflow passes to the action (uses: ./) exists in action.yml', () => {
    const own = steps.filter(({ step }) => step.uses === './');
    expect(own.length).toBeGreaterThan(1);
    for (const { file, step } of own) {
      for (const input of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs), `${file}: ${input}`).toContain(input);
    }
  });

  it('the self-test runs the action on Linux, Windows and macOS against lts, latest and daily', () => {
    const selfTest = workflows.find(({ file }) => file.endsWith('self-test.yml'))!.workflow;
    const matrix = Object.values(selfTest.jobs).find((job) => job.strategy?.matrix)!.strategy!.matrix!;
    expect(matrix['os']).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest']);
    expect(matrix['blender']).toEqual(['lts', 'latest', 'daily']);
    // A bare `uses:` with no Blender named: the default must download one.
    expect(steps.some(({ step }) => step.uses === './' && step.with?.['blender-version'] === undefined && step.with?.['blender-path'] === undefined)).toBe(
      true,
    );
  });

  it('records the real macOS and Windows process listings with the very commands the code runs', () => {
    const record = steps.find(({ step }) => step.run?.includes('process-listing.txt'))?.step.run ?? '';
    expect(record).toContain(`ps ${PS_ARGS.join(' ')}`);
    expect(record).toContain(`ps ${PS_ARGS.filter((arg) => arg !== '-E').join(' ')}`);
    expect(record).toContain(CIM_QUERY);
  });

  it('a check-dist job rebundles and fails on any difference', () => {
    const runs = steps.filter(({ file }) => file.endsWith('check-dist.yml')).map(({ step }) => step.run ?? '');
    expect(runs).toContain('npm run bundle');
    expect(runs.join('\n')).toContain('git status --porcelain -- dist');
  });
});
