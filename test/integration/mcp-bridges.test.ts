import path from 'node:path';
import { expect, it } from 'vitest';
import { MCP_SESSION_STEP } from '../../src/probes/mcp-file.js';
import { describeOnEachBlender } from '../helpers/blender.js';
import { FIXTURES, runFixture } from '../helpers/fixture-run.js';
import { freePort } from '../helpers/ports.js';

// An MCP bridge end to end: the fixture add-on's socket server in Blender, the fixture bridge
// (the SDK's server side, in Node) beside it, and our client calling it as an AI client does.
const BRIDGE = `"${process.execPath}" "${path.join(FIXTURES, 'mcp-bridge', 'bridge.mjs')}" --blender-port {port}`;

describeOnEachBlender('MCP bridges', (blender) => {
  it('over stdio: calls, lists, a resource and a prompt matched; isError, a broken outputSchema, a broken inputSchema and a hang each fail, named', async () => {
    const { outcome, reporter } = await runFixture(blender, 'timers', {
      // A wrapper's child, as `uvx` runs a Python server: closing the session must end both.
      target: { mcp: { stdio: `${BRIDGE} --bad-input-schema --linger; echo "wrapper done" >&2` } },
      inputs: { 'mcp-error-text': 'warn' },
      steps: [
        {
          name: 'tools',
          mcp: { list: 'tools' },
          expect: { tools: { $elemMatch: { name: 'get_scene_info', outputSchema: { required: ['name', 'object_count'] } } } },
        },
        {
          name: 'scene',
          mcp: { call: 'get_scene_info' },
          expect: { isError: false, structuredContent: { name: 'Scene', object_count: 3 }, json: { object_count: 3 } },
          capture: { count: '$.json.object_count' },
        },
        { name: 'add a cube', mcp: { call: 'add_cube', arguments: { name: 'FromMcp' } }, expect: { json: { name: 'FromMcp', main_thread: true } } },
        { name: 'Blender has it', blender: 'len(bpy.context.scene.objects)', expect: 4 },
        { name: 'resource', mcp: { read: 'blender://scene' }, expect: { json: { object_count: 4 } } },
        {
          name: 'prompt',
          mcp: { prompt: 'describe_scene', arguments: { style: 'in detail' } },
          expect: { messages: [{ content: { text: 'Describe the scene, in detail.' } }] },
        },
        { name: 'progress', mcp: { call: 'bake', arguments: { steps: 3 } }, expect: { progress: 3, text: 'baked in 3 steps' } },
        { name: 'a failing tool', mcp: { call: 'delete_object', arguments: { name: 'Nope' } } },
        {
          name: 'a failing tool, expected',
          mcp: { call: 'delete_object', arguments: { name: 'Nope' } },
          expect: { isError: true, text: { $regex: 'No object' } },
        },
        { name: 'broken output', mcp: { call: 'scene_stats' } },
        { name: 'error as text', mcp: { call: 'render_preview' } },
        { name: 'hangs', mcp: { call: 'hang' }, timeout: '500ms' },
      ],
    });
    expect(outcome.results.map((r) => [r.step, r.passed, r.failure])).toEqual([
      [
        MCP_SESSION_STEP,
        false,
        `tool 'broken': its inputSchema is not a valid JSON Schema: schema is invalid: data/properties/n/type must be equal to one of the allowed values, data/properties/n/type must be array, data/properties/n/type must match a schema in anyOf`,
      ],
      ['tools', true, undefined],
      ['scene', true, undefined],
      ['add a cube', true, undefined],
      ['Blender has it', true, undefined],
      ['resource', true, undefined],
      ['prompt', true, undefined],
      ['progress', true, undefined],
      ['a failing tool', false, 'the tool failed (isError: true): "No object named Nope"'],
      ['a failing tool, expected', true, undefined],
      ['broken output', false, "structuredContent.object_count does not match tool 'scene_stats''s outputSchema: must be integer"],
      ['error as text', true, undefined],
      ['hangs', false, 'tools/call hang: no reply within 500ms (the step timeout)'],
    ]);
    expect(outcome.results[0]!.line).toBe(3); // "target" in the written probe file
    expect(reporter.warnings.filter((w) => w.includes('isError false'))).toEqual([
      expect.stringMatching(
        /probe\.json:\d+: tools\/call render_preview returned "Error rendering preview: no camera" with isError false: a client takes it for a success\.$/,
      ),
    ]);
    expect(outcome.mcpSessions).toEqual([
      expect.objectContaining({
        server: { name: 'fixture-blender-bridge', version: '1.2.3' },
        protocolVersion: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        capabilities: ['prompts', 'resources', 'tools'],
        tools: expect.arrayContaining(['get_scene_info', 'hang', 'broken']),
        progressNotifications: 3,
      }),
    ]);
    expect(reporter.processLines.some((line) => line.startsWith('mcp stdio: bridge: stdio'))).toBe(true);
    // The stdio bridge's group was ended with the file, nothing of it left.
    expect(outcome.beside).toMatchObject({ companion: undefined, leftovers: [] });
    expect(outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });
    expect(outcome.failure).toMatch(/^4 of 13 probe steps failed; first: .*probe\.json › MCP session: tool 'broken'/);
  });

  it('over streamable HTTP from the companion: the run waits for its port, its output is logged, and it is stopped before Blender', async () => {
    const companionPort = await freePort();
    const { outcome, reporter, port } = await runFixture(blender, 'timers', {
      target: { mcp: { url: 'http://127.0.0.1:{companion-port}/mcp' } },
      // The shell stays the bridge's parent (a second command follows it): the group, not the shell alone, must end.
      inputs: { companion: `${BRIDGE} --http {companion-port}; echo "wrapper done"`, 'companion-port': String(companionPort) },
      steps: [
        { name: 'scene', mcp: { call: 'get_scene_info' }, expect: { structuredContent: { name: 'Scene', object_count: 3 } } },
        { name: 'add a cube', mcp: { call: 'add_cube', arguments: { name: 'OverHttp' } }, expect: { json: { name: 'OverHttp' } } },
      ],
    });
    expect(outcome.results.map((r) => [r.step, r.passed, r.failure])).toEqual([
      [MCP_SESSION_STEP, true, undefined],
      ['scene', true, undefined],
      ['add a cube', true, undefined],
    ]);
    expect([outcome.ok, outcome.failure]).toEqual([true, undefined]);
    expect(reporter.processLines).toContain(`companion: bridge: streamable HTTP on 127.0.0.1:${companionPort}, Blender on ${port}`);
    expect(outcome.beside).toMatchObject({ companion: { endedEarly: undefined, killed: false }, leftovers: [] });
    expect(reporter.infoLines.some((line) => line.startsWith('MCP session of ') && line.includes('fixture-blender-bridge 1.2.3'))).toBe(true);
  });

  it('a companion that exits before teardown fails the run with its exit code and last lines', async () => {
    const companionPort = await freePort();
    const { outcome } = await runFixture(blender, 'timers', {
      inputs: { companion: `${BRIDGE} --http {companion-port} --exit-after 500`, 'companion-port': String(companionPort) },
      steps: [{ name: 'outlast the companion', blender: { exec: 'import time\ntime.sleep(1.5)' } }],
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toMatch(
      /^The companion \(.*--exit-after 500\) exited with code 3 before teardown; its last lines are in the details and its log \(.*companion-.*\.log\)\.$/,
    );
    expect(outcome.details).toContain('bridge: streamable HTTP on 127.0.0.1');
    expect(outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });
  });

  it('a companion that exits before it opens its port fails the run with one sentence, before any step', async () => {
    const companionPort = await freePort();
    const { outcome } = await runFixture(blender, 'timers', {
      inputs: { companion: 'echo "no such bridge" >&2; exit 3', 'companion-port': String(companionPort) },
      steps: [{ name: 'never runs', blender: '1' }],
    });
    expect(outcome.failure).toBe(
      `The companion (echo "no such bridge" >&2; exit 3) exited with code 3 before it accepted connections on 127.0.0.1:${companionPort}.`,
    );
    expect(outcome.details).toContain('no such bridge');
    expect(outcome.results).toEqual([]);
    expect(outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });
  });

  it("a companion's child that leaves its process group is found, killed and named", async () => {
    const companionPort = await freePort();
    const { outcome } = await runFixture(blender, 'timers', {
      target: { mcp: { url: 'http://127.0.0.1:{companion-port}/mcp' } },
      inputs: { companion: `${BRIDGE} --http {companion-port} --orphan`, 'companion-port': String(companionPort) },
      steps: [{ name: 'scene', mcp: { call: 'get_scene_info' }, expect: { structuredContent: { object_count: 3 } } }],
    });
    expect(outcome.results.every((r) => r.passed)).toBe(true);
    expect(outcome.ok).toBe(false);
    expect(outcome.failure).toMatch(/^1 process outlived the companion and was killed: pid \d+ \(state [A-Z]\): .*setInterval/);
    expect(outcome.beside?.unkillable).toEqual([]);
    expect(outcome.teardown).toMatchObject({ kind: 'graceful', leftovers: [] });
  });
});
