import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { keyPathOfProblem, manifestProblems } from '../../../src/addon/manifest-rules.js';

const VALID = {
  schema_version: '1.0.0',
  id: 'my_tool',
  version: '1.0.0-beta.2+build.7',
  name: 'My Tool',
  tagline: 'Does one thing (well)',
  maintainer: 'Someone <someone@example.com>',
  type: 'add-on',
  blender_version_min: '4.2.0',
  license: ['SPDX:GPL-3.0-or-later'],
};

/** The problems of the valid manifest with `changes` (undefined deletes the key). */
function problemsWith(changes: Record<string, unknown>): string[] {
  const data: Record<string, unknown> = { ...VALID, ...changes };
  for (const [key, value] of Object.entries(changes)) if (value === undefined) delete data[key];
  return manifestProblems(data).map((p) => p.message);
}

describe('the manifest rules, as Blender words them', () => {
  it('a valid manifest has none, optional keys included', () => {
    expect(problemsWith({})).toEqual([]);
    expect(
      problemsWith({
        blender_version_max: '',
        website: 'https://example.com',
        copyright: ['2024-2026 Someone', '2025 Someone Else'],
        permissions: { network: 'Fetches assets from a server', files: 'Reads the scenes it opens' },
        tags: ['Render'],
        platforms: ['linux-x64'],
        wheels: ['./wheels/numpy-2.1.0-cp311-cp311-manylinux_2_17_x86_64.whl'],
      }),
    ).toEqual([]);
  });

  it.each([
    [{ id: undefined }, 'missing "id"'],
    [{ id: 7n }, '"id" must be a str, not a int'],
    [{ license: 'MIT' }, '"license" must be a list, not a str'],
    [{ permissions: 'network' }, '"permissions" must be a [dict, list], not a str'],
    [{ id: '1tool' }, 'key "id" invalid: Not a valid Python identifier'],
    [{ id: 'my__tool' }, 'key "id" invalid: Only single separators are supported'],
    [{ id: '_tool' }, 'key "id" invalid: Names must not start with a "_"'],
    [{ id: 'tool_' }, 'key "id" invalid: Names must not end with a "_"'],
    [{ version: '1.0' }, 'key "version" invalid: to be a semantic-version, found \'1.0\''],
    [{ schema_version: '01.0.0' }, 'key "schema_version" invalid: to be a semantic-version, found \'01.0.0\''],
    [{ name: ' My Tool' }, 'key "name" invalid: text without leading/trailing white space expected'],
    [{ maintainer: '' }, 'key "maintainer" invalid: a non-empty string expected'],
    [{ name: 'My\tTool' }, 'key "name" invalid: text without any control characters expected'],
    [{ tagline: 'Does one thing.' }, 'key "tagline" invalid: alphanumeric suffix expected, the string must not end with punctuation'],
    [{ tagline: 'x'.repeat(65) }, 'key "tagline" invalid: a value no longer than 64 characters expected, found 65'],
    [{ type: 'keymap' }, 'key "type" invalid: Expected to be one of [add-on, theme], found \'keymap\''],
    [{ license: [] }, 'key "license" invalid: list may not be empty'],
    [{ license: ['SPDX:MIT', 3n] }, 'key "license" invalid: at index 1 must be a string not a <class \'int\'>'],
    [{ license: [' '] }, 'key "license" invalid: at index 0 must be a non-empty string'],
    [{ blender_version_min: '4.2' }, 'key "blender_version_min" invalid: expected 3 numbers separated by ".", found "4.2"'],
    [{ blender_version_max: '4.x.0' }, 'key "blender_version_max" invalid: must be numbers separated by single "." characters, found "4.x.0"'],
    [{ copyright: ['Someone'] }, 'key "copyright" invalid: at index 0 must be a number or two numbers separated by "-"'],
    [{ copyright: ['2024 '] }, 'key "copyright" invalid: at index 0 copyright name must be non-empty'],
    [{ permissions: ['network'] }, 'key "permissions" invalid: permissions must be a table of strings, not a <class \'list\'>'],
    [
      { permissions: { internet: 'Talks' } },
      "key \"permissions\" invalid: key \"internet\" must be one of ('files', 'network', 'clipboard', 'camera', 'microphone')",
    ],
    [{ permissions: { network: true } }, 'key "permissions" invalid: value of "network" must be a string not a <class \'bool\'>'],
    [
      { permissions: { network: 'Talks to a server.' } },
      'key "permissions" invalid: value of "network": alphanumeric suffix expected, the string must not end with punctuation',
    ],
    [{ tags: [] }, 'key "tags" invalid: list may not be empty'],
    [{ wheels: ['./wheels/a"b-1-py3-none-any.whl'] }, `key "wheels" invalid: wheel paths must not contain quotes, found './wheels/a"b-1-py3-none-any.whl'`],
    [
      { wheels: ['.\\wheels\\a-1-py3-none-any.whl'] },
      'key "wheels" invalid: wheel paths must use forward slashes, found \'.\\\\wheels\\\\a-1-py3-none-any.whl\'',
    ],
    [{ wheels: ['./wheels/a-1-py3-none-any.zip'] }, 'key "wheels" invalid: wheel paths must end with ".whl", found \'./wheels/a-1-py3-none-any.zip\''],
    [
      { wheels: ['./wheels/a-1.whl'] },
      'key "wheels" invalid: wheel filename must follow the spec "{distribution}-{version}(-{build tag})?-{python tag}-{abi tag}-{platform tag}.whl", found \'a-1.whl\'',
    ],
  ])('%o → %s', (changes, message) => {
    expect(problemsWith(changes)).toEqual([message]);
  });

  it('counts characters as Python does (code points, not UTF-16 units)', () => {
    expect(problemsWith({ tagline: `${'✓'.repeat(31)}${'𝒳'.repeat(33)}` })).toEqual([]);
    expect(problemsWith({ tagline: '𝒳'.repeat(65) })).toEqual(['key "tagline" invalid: a value no longer than 64 characters expected, found 65']);
  });

  it('tells int from float the way tomllib does (integers parse as BigInt)', () => {
    const data = parse('id = 1.5\n', { integersAsBigInt: true }) as Record<string, unknown>;
    expect(manifestProblems({ ...VALID, ...data }).map((p) => p.message)).toEqual(['"id" must be a str, not a float']);
  });

  it('lists every problem in Blender’s key order', () => {
    expect(problemsWith({ license: undefined, id: '_x', tagline: 'Done.' })).toEqual([
      'key "id" invalid: Names must not start with a "_"',
      'key "tagline" invalid: alphanumeric suffix expected, the string must not end with punctuation',
      'missing "license"',
    ]);
  });
});

describe('keyPathOfProblem: the key a problem (ours or Blender’s) is about', () => {
  it.each([
    ['key "version" invalid: to be a semantic-version', ['version']],
    ['missing "license"', ['license']],
    ['"id" must be a str, not a int', ['id']],
    ['key "permissions" invalid: value of "network": a value no longer than 64 characters expected', ['permissions', 'network']],
    ['key "permissions" invalid: key "internet" must be one of', ['permissions', 'internet']],
    ['loading tags: found invalid tag "X" not found in: (3D View)', ['tags']],
    ['Error, file missing from add-on: "__init__.py"', undefined],
  ])('%s', (message, keyPath) => {
    expect(keyPathOfProblem(message)).toEqual(keyPath);
  });
});

describe("the installer's lenient rules (what install-file refuses; the rest is the platform's)", () => {
  const lenient = (changes: Record<string, unknown>) => manifestProblems({ ...VALID, ...changes }, false).map((p) => p.message);

  it('a long tag-line, a two-part version, any copyright text, unknown permissions, the old list form: all accepted', () => {
    expect(
      lenient({
        tagline: 'A tag-line far longer than the sixty-four characters the platform allows.',
        blender_version_min: '4.2',
        copyright: ['some time, someone'],
        permissions: { telepathy: 'Reads minds.' },
      }),
    ).toEqual([]);
    expect(lenient({ permissions: ['files', 'network'] })).toEqual([]);
  });

  it('still refuses what Blender cannot load: ids, semantic versions, empty names, wrong types', () => {
    expect(lenient({ id: 'my__tool', version: '1', tagline: ' ', permissions: { files: 3n } })).toEqual([
      'key "id" invalid: Only single separators are supported',
      'key "tagline" invalid: A non-empty string expected',
      `key "version" invalid: to be a semantic-version, found '1'`,
      `key "permissions" invalid: value of "files" must be a string not a <class 'int'>`,
    ]);
    expect(lenient({ permissions: ['files', 2n] })).toEqual([`key "permissions" invalid: Expected item at index 1 to be a string not a <class 'int'>`]);
  });
});
