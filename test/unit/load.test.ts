import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { loadProbeSuite, parseProbeFile } from '../../src/probes/load.js';

function problems(text: string): string[] {
  const result = parseProbeFile(text, 'p.json');
  return 'problems' in result ? result.problems : [];
}

describe('parseProbeFile', () => {
  it('reads a valid file with comments, defaults and step lines', () => {
    const text = `{
  // a comment
  "steps": [
    { "name": "one", "send": {"type": "echo"}, "expect": {"status": "success"} },
    { "name": "two", "send": [1, 2], "timeout": "2s" },
  ],
  "target": { "framing": "ndjson", "port": 7000 }
}`;
    const result = parseProbeFile(text, 'dir/p.json');
    expect(result).toEqual({
      file: {
        path: 'dir/p.json',
        name: 'p.json',
        target: { host: undefined, port: 7000, framing: 'ndjson' },
        steps: [
          { name: 'one', line: 4, send: { type: 'echo' }, expect: { status: 'success' }, timeoutMs: undefined },
          { name: 'two', line: 5, send: [1, 2], expect: undefined, timeoutMs: 2000 },
        ],
      },
    });
  });

  it('points a syntax error at its line and column', () => {
    expect(problems('{\n  "steps": [\n    { "name": "x" "send": 1 }\n  ]\n}')).toEqual(['p.json:3:19: JSON syntax error: comma expected']);
  });

  it('lists every schema problem at once, each at its own position, in file order', () => {
    const text = '{\n  "name": 5,\n  "steps": [\n    { "name": "a", "send": {}, "expct": {} },\n    { "send": {} }\n  ],\n  "target": { "port": 99999 }\n}';
    expect(problems(text)).toEqual([
      'p.json:2:11: name: expected string, received number',
      "p.json:4:32: steps[0]: unknown key 'expct'",
      "p.json:5:5: steps[1]: 'name' is required",
      'p.json:7:23: target.port: Too big: expected number to be <=65535',
    ]);
  });

  it('requires at least one step, and says so for an empty file', () => {
    expect(problems('{"steps": []}')).toEqual(['p.json:1:11: steps: must list at least one step']);
    expect(problems('')).toEqual(['p.json:1:1: the file is empty']);
  });
});

describe('loadProbeSuite', () => {
  it('expands globs in order, once per file, and fails naming a glob that matches nothing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-load-'));
    for (const name of ['b.json', 'a.json']) await writeFile(path.join(dir, name), '{"steps":[{"name":"s","send":1}]}');
    const suite = await loadProbeSuite(['*.json', 'a.json'], dir);
    expect(suite.files.map((f) => f.path)).toEqual(['a.json', 'b.json']);
    await expect(loadProbeSuite(['nothing/*.json'], dir)).rejects.toThrow(new UserError(`Input 'probes': 'nothing/*.json' matches no files (relative to ${dir}).`));
    await expect(loadProbeSuite(['missing.json'], dir)).rejects.toThrow(`'missing.json' does not exist`);
  });

  it('reads every file before failing, and lists the problems of all of them', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-load-'));
    await writeFile(path.join(dir, 'a.json'), '{"steps":[{"name":"s"}]}');
    await writeFile(path.join(dir, 'b.json'), '{"steps":');
    const error = (await loadProbeSuite(['*.json'], dir).catch((e: unknown) => e)) as UserError;
    expect(error.message).toMatch(/^Invalid probe file: a\.json:1:11: steps\[0\]: 'send' is required \(and \d more problems, listed below\)\.$/);
    expect(error.details?.split('\n')).toEqual(["a.json:1:11: steps[0]: 'send' is required", 'b.json:1:10: JSON syntax error: value expected', expect.stringMatching(/^b\.json:1:10: /)]);
  });
});
