import { afterEach, describe, expect, it } from 'vitest';
import { commandLineOnlyGiven, readActionInputs } from '../../../src/inputs/action-inputs.js';

const set: string[] = [];
function input(name: string, value: string): void {
  const key = `INPUT_${name.toUpperCase()}`; // how the runner passes `with:` values
  process.env[key] = value;
  set.push(key);
}
afterEach(() => {
  for (const key of set.splice(0)) delete process.env[key];
});

describe('readActionInputs', () => {
  it('reads what `with:` gives, lists as lines, and nothing that was not given', () => {
    input('addon', './my_addon');
    input('probes', 'a.json\nb/*.json\n');
    expect(readActionInputs()).toEqual({ addon: './my_addon', probes: ['a.json', 'b/*.json'] });
  });

  it("does not read the command line's own inputs", () => {
    input('quiet', 'true');
    expect(readActionInputs()).toEqual({});
  });
});

describe('commandLineOnlyGiven', () => {
  it('refuses watch and quiet in `with:`, in one sentence each', () => {
    expect(commandLineOnlyGiven({})).toBeUndefined();
    expect(commandLineOnlyGiven({ INPUT_WATCH: 'true' })).toMatch(
      /^Input 'watch' is for the command line .*: a CI job has no one to save files or press keys\.$/,
    );
    expect(commandLineOnlyGiven({ INPUT_QUIET: 'true' })).toBe(
      "Input 'quiet' is for the command line (npx blender-bg-action --quiet): the action has no such input.",
    );
    expect(commandLineOnlyGiven({ INPUT_WATCH: '  ' })).toBeUndefined();
  });
});
