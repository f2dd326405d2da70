import { describe, expect, it } from 'vitest';
import { STEP_KINDS, STEP_KIND_NAMES, kindOfStep, stepKind } from '../../../../src/probes/steps/registry.js';
import type { ProbeStep } from '../../../../src/probes/suite.js';

const step = (action: ProbeStep['action']): ProbeStep => ({
  name: 's',
  line: 1,
  action,
  expect: undefined,
  strict: false,
  captures: [],
  retry: undefined,
  timeoutMs: undefined,
});

describe('the step kinds', () => {
  it('are listed in the format’s order, each under its own key', () => {
    expect(STEP_KIND_NAMES).toEqual(['send', 'http', 'blender', 'mcp', 'render']);
    for (const name of STEP_KIND_NAMES) expect(STEP_KINDS[name].key).toBe(name);
  });

  it('a step as written is the kind whose key it has; none: undefined', () => {
    expect(kindOfStep({ name: 'x', http: { path: '/' } })?.key).toBe('http');
    expect(kindOfStep({ name: 'x', expect: 1 })).toBeUndefined();
  });

  it('say which steps need the add-on’s port: send always, http without a port of its own, the others never', () => {
    const needs = (s: ProbeStep) => stepKind(s).needsPort(s.action);
    expect(needs(step({ kind: 'send', send: { type: 'ping' } }))).toBe(true);
    const http = { method: 'GET', path: '/', host: undefined, headers: {}, json: undefined, body: undefined };
    expect(needs(step({ kind: 'http', http: { ...http, port: undefined } }))).toBe(true);
    expect(needs(step({ kind: 'http', http: { ...http, port: 8080 } }))).toBe(false);
    expect(needs(step({ kind: 'blender', code: '1', mode: 'eval' }))).toBe(false);
    expect(needs(step({ kind: 'mcp', mcp: { op: 'list', what: 'tools' } }))).toBe(false);
  });

  it('check what zod cannot: send to an MCP target or a non-string with the raw framing, mcp with no MCP target, a render without its image', () => {
    expect(STEP_KINDS.send.check!({ send: 'x' }, { framing: undefined, hasMcp: true })[0]?.message).toMatch(/its steps are mcp steps/);
    expect(STEP_KINDS.send.check!({ send: { a: 1 } }, { framing: 'raw', hasMcp: false })[0]?.message).toBe('with the raw framing, send takes a string');
    expect(STEP_KINDS.send.check!({ send: 'x' }, { framing: 'raw', hasMcp: false })).toEqual([]);
    expect(STEP_KINDS.mcp.check!({ mcp: { list: 'tools' } }, { framing: undefined, hasMcp: false })[0]).toMatchObject({ path: ['mcp'], atKey: true });
    expect(STEP_KINDS.render.check!({ render: {} }, { framing: undefined, hasMcp: false })[0]).toMatchObject({
      path: ['render'],
      message: expect.stringMatching(/needs "expect": \{"image"/),
    });
    expect(STEP_KINDS.render.check!({ render: {}, expect: { image: 'a.png' } }, { framing: undefined, hasMcp: false })).toEqual([]);
  });

  it('build the loaded action from the key’s value', () => {
    expect(STEP_KINDS.blender.action({ exec: 'result = 1' }, {})).toEqual({ kind: 'blender', code: 'result = 1', mode: 'exec' });
    expect(STEP_KINDS.mcp.action({ call: 'tool' }, {})).toEqual({ kind: 'mcp', mcp: { op: 'call', name: 'tool', arguments: {} } });
    expect(STEP_KINDS.render.action({}, { expect: { image: 'snapshots/a.png' } })).toMatchObject({
      kind: 'render',
      snapshot: { image: 'snapshots/a.png', threshold: 0.1 },
    });
  });
});
