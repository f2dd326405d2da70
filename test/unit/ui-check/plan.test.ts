import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { type UiCheckHost, planUiCheck } from '../../../src/ui-check/plan.js';

const linux = (xvfb: string | undefined, inGitHubActions = false): UiCheckHost => ({ platform: 'linux', inGitHubActions, xvfb });
const desktop = (platform: NodeJS.Platform, inGitHubActions: boolean): UiCheckHost => ({ platform, inGitHubActions, xvfb: undefined });

describe('planUiCheck', () => {
  it('auto draws on a virtual display of its own wherever Xvfb is on PATH, and a draw error fails the run', () => {
    expect(planUiCheck('auto', linux('/usr/bin/Xvfb'))).toEqual({
      draw: true,
      display: 'virtual',
      xvfb: '/usr/bin/Xvfb',
      failOnErrors: true,
      failOnNoWindow: false,
    });
    expect(planUiCheck('auto', linux('/usr/bin/Xvfb', true))).toMatchObject({ draw: true, display: 'virtual' });
  });

  it('auto without Xvfb says once why the UI was not drawn, with the apt line; never a silent skip', () => {
    const plan = planUiCheck('auto', linux(undefined));
    expect(plan).toEqual({
      draw: false,
      level: 'info',
      note: expect.stringMatching(/^The add-on's UI was not drawn: Xvfb is not on PATH.*sudo apt-get install -y xvfb/),
    });
  });

  it('fail without a display to be had is bad input: one sentence before anything starts', () => {
    expect(() => planUiCheck('fail', linux(undefined))).toThrow(UserError);
    expect(() => planUiCheck('fail', linux(undefined))).toThrow(/^Input 'ui-check' is fail, but the add-on's UI cannot be drawn here: Xvfb is not on PATH/);
  });

  it('warn draws and lists, never fails on a draw error; without Xvfb it warns', () => {
    expect(planUiCheck('warn', linux('/usr/bin/Xvfb'))).toMatchObject({ draw: true, failOnErrors: false, failOnNoWindow: false });
    expect(planUiCheck('warn', linux(undefined))).toMatchObject({ draw: false, level: 'warning' });
  });

  it('only fail makes a window that cannot open fail the run', () => {
    expect(planUiCheck('fail', linux('/usr/bin/Xvfb'))).toMatchObject({ failOnErrors: true, failOnNoWindow: true });
  });

  it("macOS and Windows: a runner's desktop session is drawn on; a person's desktop only when asked", () => {
    for (const platform of ['darwin', 'win32'] as const) {
      expect(planUiCheck('auto', desktop(platform, true))).toMatchObject({ draw: true, display: 'desktop', failOnErrors: true });
      expect(planUiCheck('auto', desktop(platform, false))).toMatchObject({
        draw: false,
        level: 'info',
        note: expect.stringMatching(/would open on your desktop; ui-check: fail \(or warn\) draws it there/),
      });
      expect(planUiCheck('fail', desktop(platform, false))).toMatchObject({ draw: true, display: 'desktop' });
      expect(planUiCheck('warn', desktop(platform, false))).toMatchObject({ draw: true, display: 'desktop', failOnErrors: false });
    }
  });

  it('off: nothing drawn, nothing said', () => {
    expect(planUiCheck('off', linux('/usr/bin/Xvfb'))).toEqual({ draw: false, note: undefined, level: 'info' });
  });
});
