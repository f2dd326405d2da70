import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { resultFileOf } from '../../../src/report/result-file.js';
import { resultFileText } from '../../../src/result-file/format.js';
import { durationsFileText, durationsFor, durationsOfResults, parallelUnsafeOfResults, readEarlierRuns } from '../../../src/shards/durations.js';
import { outcomeOf } from '../../helpers/results.js';

const measured = (version: string, times: Record<string, number>) =>
  resultFileOf(outcomeOf([], { blenderVersion: version, fileTimes: Object.entries(times).map(([file, ms]) => ({ file, ms })) }), {
    addonInput: './addon',
    toolVersion: '1',
  });

describe('durations: what earlier runs measured, per Blender', () => {
  it('result files and durations files are read alike; a file that is neither is one sentence', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-durations-'));
    await writeFile(path.join(dir, 'result-4.3.json'), resultFileText(measured('4.3.2', { 'tests/test_a.py': 1200, 'tests/test_b.py': 300 })));
    await writeFile(path.join(dir, 'durations.json'), durationsFileText(durationsOfResults([measured('3.4.1', { 'tests/test_a.py': 900 })])));
    const { durations: read } = await readEarlierRuns(['*.json'], dir);
    expect(Object.fromEntries([...read].map(([v, files]) => [v, Object.fromEntries(files)]))).toEqual({
      '4.3.2': { 'tests/test_a.py': 1200, 'tests/test_b.py': 300 },
      '3.4.1': { 'tests/test_a.py': 900 },
    });
    await writeFile(path.join(dir, 'other.json'), '{"schema": 7}');
    await expect(readEarlierRuns(['other.json'], dir)).rejects.toThrow(
      new UserError(
        "Input 'shard-durations': other.json is not a result file of schema 1 (its schema is 7); write it with this version of blender-bg-action, nor a durations file (durations-path).",
      ),
    );
    await writeFile(path.join(dir, 'broken.json'), '{');
    await expect(readEarlierRuns(['broken.json'], dir)).rejects.toThrow(/broken\.json is not JSON: give result files/);
  });

  it('no file matching (a first run, a cache miss) is no durations at all', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-durations-'));
    expect((await readEarlierRuns(['durations/*.json'], dir)).durations.size).toBe(0);
  });

  it('the files named not parallel-safe: read from result files and durations files, written to the durations file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-durations-'));
    const unsafe = { file: 'tests/test_model_edit.py', ranWith: ['tests/test_b.py'], test: 't', failure: undefined, aloneMs: 15600 };
    const result = resultFileOf(outcomeOf([], { blenderVersion: '4.3.2', parallelUnsafe: [unsafe] }), { addonInput: './addon', toolVersion: '1' });
    await writeFile(path.join(dir, 'result.json'), resultFileText(result));
    const text = durationsFileText(durationsOfResults([measured('3.4.1', { 'tests/test_a.py': 900 })]), ['tests/z.py', 'tests/a.py']);
    expect(JSON.parse(text)).toMatchObject({ parallelUnsafe: ['tests/a.py', 'tests/z.py'] });
    await writeFile(path.join(dir, 'durations.json'), text);
    expect([...(await readEarlierRuns(['*.json'], dir)).parallelUnsafe].sort()).toEqual(['tests/a.py', 'tests/test_model_edit.py', 'tests/z.py']);
    expect(parallelUnsafeOfResults([result, result])).toEqual(['tests/test_model_edit.py']);
  });

  it('the durations file: versions and files sorted, times whole milliseconds', () => {
    const text = durationsFileText(durationsOfResults([measured('4.3.2', { 'tests/z.py': 10.4, 'tests/a.py': 20.6 })]));
    expect(text).toBe('{\n  "durations": 1,\n  "blenders": {\n    "4.3.2": {\n      "tests/a.py": 21,\n      "tests/z.py": 10\n    }\n  }\n}\n');
  });

  it('which Blender’s: its own, the same series, the only one, else each file’s median', () => {
    const data = durationsOfResults([measured('4.3.1', { 'a.py': 100 }), measured('5.2.2', { 'a.py': 300, 'b.py': 50 }), measured('3.4.1', { 'a.py': 200 })]);
    expect(durationsFor(data, '5.2.2')).toMatchObject({ source: 'measured on Blender 5.2.2' });
    expect(durationsFor(durationsOfResults([measured('5.2.2 LTS', { 'a.py': 1 }), measured('5.2.1', { 'a.py': 2 })]), '5.2.2')).toMatchObject({
      source: 'measured on Blender 5.2.2 LTS',
    });
    expect(durationsFor(data, '4.3.2')).toMatchObject({ source: 'measured on Blender 4.3.1 (the same series)' });
    const median = durationsFor(data, '4.2.0');
    expect(median.source).toBe("each file's median over Blenders 3.4.1, 4.3.1, 5.2.2");
    expect(Object.fromEntries(median.durations)).toEqual({ 'a.py': 200, 'b.py': 50 });
    expect(durationsFor(durationsOfResults([measured('4.3.1', { 'a.py': 100 })]), '5.2.2').source).toBe('measured on Blender 4.3.1');
    expect(durationsFor(new Map(), '5.2.2')).toEqual({ durations: new Map(), source: undefined });
  });
});
