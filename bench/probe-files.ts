import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadProbeSuite } from '../src/probes/load.js';
import type { StepResult } from '../src/probes/results.js';
import { junitXml } from '../src/report/junit.js';
import { outcomeOf } from '../test/helpers/results.js';

/** A generated probe file of `steps` steps (a step per asset, per operator: what reaches these sizes). */
async function writeProbeFile(steps: number): Promise<string> {
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'bg-bench-probes-')), `probes-${steps}.json`);
  const body = Array.from({ length: steps }, (_, i) => ({
    name: `asset ${i}`,
    send: { type: 'get_object_info', params: { name: `Asset.${i}` } },
    expect: { status: 'success', result: { name: `Asset.${i}`, vertices: { $gte: 8 } } },
  }));
  await writeFile(file, JSON.stringify({ name: 'generated', steps: body }, null, 2));
  return file;
}

/** Per step: loading (parse, validate, positions) and the JUnit report of as many results. */
export async function perStepCost(steps: number, rounds: number): Promise<{ loadUs: number; junitUs: number }> {
  const file = await writeProbeFile(steps);
  const load: number[] = [];
  const junit: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let started = performance.now();
    const suite = await loadProbeSuite([file]);
    load.push(((performance.now() - started) * 1000) / steps);
    const results: StepResult[] = suite.files[0]!.steps.map((step) => ({
      file,
      fileName: 'probes.json',
      step: step.name,
      line: step.line,
      kind: 'send',
      passed: true,
      durationMs: 1,
      attempts: 1,
    }));
    started = performance.now();
    junitXml(outcomeOf(results));
    junit.push(((performance.now() - started) * 1000) / steps);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { loadUs: median(load), junitUs: median(junit) };
}
