import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { loadProbeSuite, parseProbeFile } from '../../../src/probes/load.js';

function problems(text: string): string[] {
  const result = parseProbeFile(text, 'p.json');
  return 'problems' in result ? result.problems : [];
}

describe('parseProbeFile', () => {
  it('reads a valid file with comments, defaults and step lines', () => {
    const text = `{
  // a comment
  "version": 1,
  "vars": { "scene": "Scene" },
  "steps": [
    { "name": "one", "send": {"type": "echo"}, "expect": {"status": "success"}, "capture": { "id": "$.result.id", "n": { "path": "$.msg", "regex": "(\\\\d+)" } } },
    { "name": "two", "send": [1, "{{id}}"], "timeout": "2s", "retry": { "timeout": "1m", "failIf": { "status": "error" } } },
    { "name": "three", "http": { "path": "/status" }, "strict": true },
    { "name": "four", "blender": { "exec": "result = 1" } },
    { "name": "five", "blender": "len(bpy.data.objects)", "expect": "{{n}}" },
  ],
  "target": { "framing": "ndjson", "port": 7000, "connection": "per-step" }
}`;
    const result = parseProbeFile(text, 'dir/p.json');
    if (!('file' in result)) throw new Error(String(result.problems));
    const { file } = result;
    expect(file).toMatchObject({
      path: 'dir/p.json',
      name: 'p.json',
      vars: { scene: 'Scene' },
      target: { host: undefined, port: 7000, framing: 'ndjson', connection: 'per-step' },
    });
    expect(file.steps.map((s) => [s.name, s.line, s.action.kind, s.strict])).toEqual([
      ['one', 6, 'send', false],
      ['two', 7, 'send', false],
      ['three', 8, 'http', true],
      ['four', 9, 'blender', false],
      ['five', 10, 'blender', false],
    ]);
    expect(file.steps[0]?.captures.map((c) => [c.name, c.path, c.segments, c.regex?.source])).toEqual([
      ['id', '$.result.id', ['result', 'id'], undefined],
      ['n', '$.msg', ['msg'], '(\\d+)'],
    ]);
    expect(file.steps[1]).toMatchObject({ timeoutMs: 2000, retry: { timeoutMs: 60_000, intervalMs: 500, attempts: undefined, failIf: { status: 'error' } } });
    expect(file.steps[2]?.action).toEqual({
      kind: 'http',
      http: { method: 'GET', path: '/status', host: undefined, port: undefined, headers: {}, json: undefined, body: undefined },
    });
    expect(file.steps[3]?.action).toEqual({ kind: 'blender', code: 'result = 1', mode: 'exec' });
    expect(file.steps[4]?.action).toEqual({ kind: 'blender', code: 'len(bpy.data.objects)', mode: 'eval' });
  });

  it('finds operator, capture and variable mistakes, each at its position', () => {
    const text = `{
  "vars": { "scene": "Scene" },
  "steps": [
    { "name": "a", "send": { "id": "{{job}}" }, "expect": { "n": { "$gtr": 1 } } },
    { "name": "b", "send": {}, "capture": { "job": "result.id" } },
    { "name": "c", "send": "{{env.HOME}} {{scene}} {{job}}", "retry": { "timeout": "1s", "failIf": { "s": { "$in": 1 } } } }
  ]
}`;
    expect(problems(text)).toEqual([
      "p.json:4:36: {{job}} is not defined by vars or an earlier step's capture (defined here: 'scene')",
      "p.json:4:68: unknown operator '$gtr' (did you mean '$gt'?)",
      "p.json:5:52: capture 'job': the path must start with $",
      'p.json:6:109: $in takes an array of values',
    ]);
  });

  it('needs exactly one of send, http, blender, mcp or render in a step', () => {
    expect(problems('{"steps": [{"name": "x"}, {"name": "y", "send": 1, "blender": "1"}]}')).toEqual([
      'p.json:1:12: steps[0]: needs one of send, http, blender, mcp or render',
      'p.json:1:63: steps[1].blender: takes one of send, http, blender, mcp or render, not send and blender',
    ]);
  });

  it('with the raw framing, send takes a string', () => {
    expect(problems('{"target": {"framing": "raw"}, "steps": [{"name": "x", "send": {"a": 1}}]}')).toEqual([
      'p.json:1:64: with the raw framing, send takes a string',
    ]);
  });

  it('length-prefixed: the prefix shape, defaults filled in; lengthPrefix only with that framing', () => {
    const file = (target: unknown) => parseProbeFile(JSON.stringify({ target, steps: [{ name: 's', send: {} }] }), 'p.json');
    expect(file({ framing: 'length-prefixed' })).toMatchObject({
      file: { target: { framing: { framing: 'length-prefixed', bytes: 4, byteOrder: 'big', maxBytes: 64 * 1024 * 1024 } } },
    });
    expect(file({ framing: 'length-prefixed', lengthPrefix: { bytes: 2, byteOrder: 'little' } })).toMatchObject({
      file: { target: { framing: { bytes: 2, byteOrder: 'little' } } },
    });
    expect(problems('{"target": {"framing": "ndjson",\n "lengthPrefix": {"bytes": 2}}, "steps": [{"name": "s", "send": {}}]}')).toEqual([
      'p.json:2:2: lengthPrefix applies only with "framing": "length-prefixed"',
    ]);
    expect(problems('{"target": {"framing": "length-prefixed", "lengthPrefix": {"bytes": 3}}, "steps": [{"name": "s", "send": {}}]}')).toHaveLength(1);
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
    await expect(loadProbeSuite(['nothing/*.json'], dir)).rejects.toThrow(
      new UserError(`Input 'probes': 'nothing/*.json' matches no files (relative to ${dir}).`),
    );
    await expect(loadProbeSuite(['missing.json'], dir)).rejects.toThrow(`'missing.json' does not exist`);
  });

  it('honours ! exclusions across all the patterns, in any order', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-load-'));
    await mkdir(path.join(dir, 'slow'));
    for (const name of ['a.json', 'b.json', 'slow/c.json', 'slow/d.json']) await writeFile(path.join(dir, name), '{"steps":[{"name":"s","send":1}]}');
    const paths = async (patterns: string[]) => (await loadProbeSuite(patterns, dir)).files.map((f) => f.path);
    expect(await paths(['**/*.json', '!slow/**'])).toEqual(['a.json', 'b.json']);
    expect(await paths(['!slow/d.json', '**/*.json'])).toEqual(['a.json', 'b.json', 'slow/c.json']);
    expect(await paths(['*.json', 'slow/*.json', '!b.json'])).toEqual(['a.json', 'slow/c.json', 'slow/d.json']);
    await expect(loadProbeSuite(['slow/*.json', '!slow/**'], dir)).rejects.toThrow(
      new UserError(`Input 'probes': 'slow/*.json' matches only files the ! patterns exclude (relative to ${dir}).`),
    );
  });

  it('reads every file before failing, and lists the problems of all of them', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-load-'));
    await writeFile(path.join(dir, 'a.json'), '{"steps":[{"name":"s"}]}');
    await writeFile(path.join(dir, 'b.json'), '{"steps":');
    const error = (await loadProbeSuite(['*.json'], dir).catch((e: unknown) => e)) as UserError;
    expect(error.message).toMatch(
      /^Invalid probe file: a\.json:1:11: steps\[0\]: needs one of send, http, blender, mcp or render \(and \d more problems, listed below\)\.$/,
    );
    expect(error.details?.split('\n')).toEqual([
      'a.json:1:11: steps[0]: needs one of send, http, blender, mcp or render',
      'b.json:1:10: JSON syntax error: value expected',
      expect.stringMatching(/^b\.json:1:10: /),
    ]);
  });
});

describe('parseProbeFile: MCP targets and mcp steps', () => {
  it("reads a stdio target, a url target and every kind of mcp step, with the target's line", () => {
    const text = `{
  "steps": [
    { "name": "call", "mcp": { "call": "get_scene_info", "arguments": { "depth": 2 } }, "expect": { "isError": false } },
    { "name": "list", "mcp": { "list": "resourceTemplates" } },
    { "name": "read", "mcp": { "read": "blender://scene" } },
    { "name": "prompt", "mcp": { "prompt": "describe", "arguments": { "style": "short" } } },
    { "name": "inside", "blender": "1" }
  ],
  "target": { "mcp": { "stdio": "uvx blender-remote --port {port}", "env": { "A": "1" } } }
}`;
    const result = parseProbeFile(text, 'p.json');
    if (!('file' in result)) throw new Error(String(result.problems));
    expect(result.file.target).toMatchObject({ line: 9, mcp: { kind: 'stdio', command: 'uvx blender-remote --port {port}', env: { A: '1' } } });
    expect(result.file.steps.map((s) => s.action)).toEqual([
      { kind: 'mcp', mcp: { op: 'call', name: 'get_scene_info', arguments: { depth: 2 } } },
      { kind: 'mcp', mcp: { op: 'list', what: 'resourceTemplates' } },
      { kind: 'mcp', mcp: { op: 'read', uri: 'blender://scene' } },
      { kind: 'mcp', mcp: { op: 'prompt', name: 'describe', arguments: { style: 'short' } } },
      { kind: 'blender', code: '1', mode: 'eval' },
    ]);
    const url = parseProbeFile(
      '{"target": {"mcp": {"url": "http://127.0.0.1:{companion-port}/mcp"}}, "steps": [{"name": "a", "mcp": {"call": "x"}}]}',
      'u.json',
    );
    if (!('file' in url)) throw new Error(String(url.problems));
    expect(url.file.target).toMatchObject({
      line: 1,
      mcp: { kind: 'url', url: 'http://127.0.0.1:{companion-port}/mcp', transport: 'streamable-http', headers: {} },
    });
  });

  it('names what is wrong with a target or a step, where it is', () => {
    expect(
      problems(`{
  "target": { "mcp": { "stdio": "a", "url": "http://x/mcp", "transport": "sse" } },
  "steps": [{ "name": "a", "mcp": { "call": "x" } }]
}`),
    ).toEqual(['p.json:2:45: target.mcp.url: takes stdio or url, not both']);
    expect(
      problems(`{
  "target": { "mcp": { "stdio": "a", "transport": "sse" } },
  "steps": [{ "name": "a", "mcp": { "call": "x" } }]
}`),
    ).toEqual(['p.json:2:51: target.mcp.transport: transport applies only with url']);
    expect(
      problems(`{
  "target": { "mcp": { "url": "ftp://x" } },
  "steps": [{ "name": "a", "mcp": { "list": "tools", "arguments": {} } }, { "name": "b", "mcp": { "call": "x", "read": "y" } }, { "name": "c", "mcp": { "list": "toolz" } }]
}`),
    ).toEqual([
      'p.json:2:31: target.mcp.url: must be an http:// or https:// URL',
      'p.json:3:67: steps[0].mcp.arguments: arguments apply only with call or prompt',
      'p.json:3:120: steps[1].mcp.read: takes one of call, list, read or prompt, not call and read',
      'p.json:3:161: steps[2].mcp.list: Invalid option: expected one of "tools"|"resources"|"resourceTemplates"|"prompts"',
    ]);
  });

  it('an mcp step needs an MCP target, and an MCP target takes no send steps', () => {
    expect(problems('{"steps": [{"name": "a", "mcp": {"call": "x"}}]}')).toEqual([
      'p.json:1:26: an mcp step needs an MCP server to talk to: "target": {"mcp": {"stdio": "<command>"}} or {"mcp": {"url": "http://127.0.0.1:{companion-port}/mcp"}}',
    ]);
    expect(problems('{"target": {"mcp": {"stdio": "x"}}, "steps": [{"name": "a", "send": {}}]}')).toEqual([
      "p.json:1:61: this file's target is an MCP server: its steps are mcp steps (or http, blender), not send",
    ]);
  });
});

describe('parseProbeFile: render steps', () => {
  it('reads the render and its approved image, with the rule defaulted', () => {
    const text =
      '{"steps": [{"name": "look", "render": {"engine": "EEVEE", "resolution": [64, 32], "samples": 4, "setup": "x = 1"}, "expect": {"image": "snapshots/a.png", "max-diff-ratio": 0}}]}';
    const result = parseProbeFile(text, 'p.json');
    if (!('file' in result)) throw new Error(String(result.problems));
    expect(result.file.steps[0]).toMatchObject({
      expect: undefined,
      action: {
        kind: 'render',
        render: { engine: 'EEVEE', resolution: [64, 32], samples: 4, setup: 'x = 1' },
        snapshot: { image: 'snapshots/a.png', threshold: 0.1, maxDiffRatio: 0 },
      },
    });
  });

  it('a render step needs an approved image, as a .png, and its expect takes only the rule', () => {
    expect(problems('{"steps": [{"name": "a", "render": {}}]}')).toEqual([
      'p.json:1:36: a render step needs "expect": {"image": "snapshots/<name>.png"}: the approved image it is compared with',
    ]);
    expect(problems('{"steps": [{"name": "a", "render": {}, "expect": {"image": "a.jpg"}}]}')).toEqual(['p.json:1:60: expect.image: must name a .png file']);
    expect(problems('{"steps": [{"name": "a", "render": {}, "expect": {"image": "a.png", "status": 1}}]}')).toEqual([
      "p.json:1:69: expect: unknown key 'status' (a render step's expect takes image, threshold, max-diff-ratio)",
    ]);
    expect(problems('{"steps": [{"name": "a", "render": {"engine": "OPTIX", "resolution": [0, 5]}, "expect": {"image": "a.png", "threshold": 2}}]}')).toEqual([
      'p.json:1:47: steps[0].render.engine: Invalid option: expected one of "CYCLES"|"EEVEE"|"WORKBENCH"',
      'p.json:1:71: steps[0].render.resolution[0]: Too small: expected number to be >=1',
      'p.json:1:121: expect.threshold: Too big: expected number to be <=1',
    ]);
  });
});
