import { describe, expect, it } from 'vitest';
import { lineOfKey, parseManifest, pythonTypeName } from '../../../src/addon/manifest.js';
import { UserError } from '../../../src/errors.js';

const TEXT = `schema_version = "1.0.0"  # the format
id = "tool"
"quoted" = "x"
copyright = [
  "2024 Someone",
]
url = "https://example.com/#id = 3"

[permissions]
# network = "not this line: a comment"
files = "Reads files"
network = "Talks"

[build]
paths_exclude_pattern = ["__pycache__/"]
permissions.network = "not a key path of the top table"
`;

describe('lineOfKey: where a manifest key is written, for annotations', () => {
  it.each([
    [['schema_version'], 1],
    [['id'], 2],
    [['quoted'], 3],
    [['copyright'], 4],
    [['permissions', 'network'], 12],
    [['permissions', 'files'], 11],
    [['permissions'], 9],
    [['permissions', 'camera'], 9],
    [['build', 'paths_exclude_pattern'], 15],
    [['missing'], 1],
  ])('%o → line %i', (keyPath, line) => {
    expect(lineOfKey(TEXT, keyPath)).toBe(line);
  });

  it('finds dotted keys and inline tables', () => {
    expect(lineOfKey('id = "x"\npermissions.network = "Talks"\n', ['permissions', 'network'])).toBe(2);
    expect(lineOfKey('id = "x"\npermissions = { network = "Talks" }\n', ['permissions', 'network'])).toBe(2);
  });
});

describe('parseManifest', () => {
  it('keeps integers as BigInt and names types as Python does', () => {
    const { data } = parseManifest('a = 1\nb = 1.5\nc = "x"\nd = [1]\ne = true\n[f]\ng = 1979-05-27T07:32:00Z\nh = 1979-05-27\n', 'm.toml', 'm.toml');
    expect(Object.values(data).map(pythonTypeName)).toEqual(['int', 'float', 'str', 'list', 'bool', 'dict']);
    const table = data['f'] as Record<string, unknown>;
    expect([pythonTypeName(table['g']), pythonTypeName(table['h'])]).toEqual(['datetime', 'date']);
  });

  it('a syntax error names the line and column, and points an annotation there', () => {
    let error: unknown;
    try {
      parseManifest('id = "x"\nname = "unclosed\n', 'ext/blender_manifest.toml', 'ext/blender_manifest.toml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/^ext\/blender_manifest\.toml:2:\d+ is not valid TOML: .+\.$/);
    expect((error as UserError).location).toMatchObject({ file: 'ext/blender_manifest.toml', line: 2 });
  });
});
