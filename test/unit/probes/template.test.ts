import { describe, expect, it } from 'vitest';
import { takeCaptures } from '../../../src/probes/capture.js';
import { parsePath, valueAt } from '../../../src/probes/json-path.js';
import { Scope, TemplateError, references, render } from '../../../src/probes/template.js';

describe('templating', () => {
  const scope = new Scope({ count: 3, scene: 'Scene', obj: { a: [1] }, nothing: null }, { HOME: '/home/x' });

  it('keeps the type of a value when the string is exactly {{name}}', () => {
    expect(render({ n: '{{count}}', o: '{{ obj }}', z: '{{nothing}}' }, scope)).toEqual({ n: 3, o: { a: [1] }, z: null });
  });

  it('interpolates inside longer strings: strings as they are, other values as JSON', () => {
    expect(render(['{{scene}} has {{count}}', 'obj={{obj}}', 'home {{env.HOME}}'], scope)).toEqual(['Scene has 3', 'obj={"a":[1]}', 'home /home/x']);
  });

  it('leaves keys, numbers and strings without references alone', () => {
    expect(render({ '{{count}}': 1, b: true, c: 'plain' }, scope)).toEqual({ '{{count}}': 1, b: true, c: 'plain' });
  });

  it('says which variable has no value, and which environment variable is unset', () => {
    expect(() => render('{{job}}', scope)).toThrow(new TemplateError('{{job}} has no value (was the step that captures it skipped or failed?)'));
    expect(() => render('x {{env.NOPE}}', scope)).toThrow('{{env.NOPE}}: the environment variable NOPE is not set');
  });

  it('lists references with the path of the string they are in', () => {
    expect(references({ a: ['{{x}} {{env.Y}}'], b: '{{z}}' })).toEqual([
      { name: 'x', path: ['a', 0] },
      { name: 'env.Y', path: ['a', 0] },
      { name: 'z', path: ['b'] },
    ]);
  });
});

describe('JSON paths and captures', () => {
  it('parses the paths failures print, and reads values at them', () => {
    const segments = parsePath('$.result.items[1]["odd key"][\'x\']');
    expect(segments).toEqual(['result', 'items', 1, 'odd key', 'x']);
    expect(valueAt({ result: { items: [0, { 'odd key': { x: 42 } }] } }, segments as never)).toBe(42);
    expect(valueAt({ result: {} }, ['result', 'items', 0])).toBeUndefined();
    expect(valueAt({ a: 'str' }, ['a', 'length'])).toBeUndefined();
    expect(parsePath('result.id')).toBe('must start with $');
    expect(parsePath('$.a..b')).toBe('cannot read \'..b\' (use .key, [0] or ["key"])');
  });

  const capture = (name: string, path: string, regex?: string) => ({
    name,
    path,
    segments: parsePath(path) as never,
    regex: regex === undefined ? undefined : new RegExp(regex),
  });

  it('captures values with their types, or the first regex group', () => {
    const reply = { result: { id: 7, url: 'http://x/jobs/abc-1?v=2', flags: [true] } };
    expect(
      takeCaptures(
        [
          capture('id', '$.result.id'),
          capture('job', '$.result.url', 'jobs/([\\w-]+)'),
          capture('all', '$.result.url', '^http'),
          capture('f', '$.result.flags'),
        ],
        reply,
      ),
    ).toEqual({
      values: { id: 7, job: 'abc-1', all: 'http', f: [true] },
    });
  });

  it('says which capture found nothing', () => {
    expect(takeCaptures([capture('id', '$.result.nope')], { result: {} })).toEqual({ failure: "capture 'id': nothing at $.result.nope" });
    expect(takeCaptures([capture('id', '$.n', 'x')], { n: 1 })).toEqual({ failure: "capture 'id': $.n is 1, not a string for /x/" });
    expect(takeCaptures([capture('id', '$.s', '^\\d+$')], { s: 'abc' })).toEqual({ failure: 'capture \'id\': /^\\d+$/ does not match "abc"' });
  });
});
