import { afterEach, describe, expect, it } from 'vitest';
import { ACTION_DEFAULT_BLENDER, readActionInputs } from '../../src/action-inputs.js';

const set: string[] = [];
function input(name: string, value: string): void {
  const key = `INPUT_${name.toUpperCase()}`; // how the runner passes `with:` values
  process.env[key] = value;
  set.push(key);
}
afterEach(() => {
  for (const key of set.splice(0)) delete process.env[key];
});

describe('readActionInputs: the defaults of a bare `uses:`', () => {
  it('downloads the newest LTS when no Blender is named (runners have none)', () => {
    input('addon', './my_addon');
    expect(readActionInputs()).toEqual({ addon: './my_addon', 'blender-version': ACTION_DEFAULT_BLENDER });
    expect(ACTION_DEFAULT_BLENDER).toBe('lts');
  });

  it('leaves blender-path alone (no "both name a Blender" error), and a given version as given', () => {
    input('blender-path', '/opt/blender/blender');
    expect(readActionInputs()).toEqual({ 'blender-path': '/opt/blender/blender' });
    set.splice(0).forEach((key) => delete process.env[key]);
    input('blender-version', '4.2');
    expect(readActionInputs()).toEqual({ 'blender-version': '4.2' });
  });

  it('mode: versions resolves a list and names no Blender to run', () => {
    input('mode', 'versions');
    input('versions', 'lts, latest');
    expect(readActionInputs()).toEqual({ mode: 'versions', versions: 'lts, latest' });
  });
});
