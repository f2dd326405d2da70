import { which } from '@actions/io';
import { UserError } from '../errors.js';

/** The ui-check input. */
export const UI_CHECK_SETTINGS = ['auto', 'fail', 'warn', 'off'] as const;
export type UiCheckSetting = (typeof UI_CHECK_SETTINGS)[number];

/** The apt line for a Linux machine without a display of its own (GitHub's Ubuntu images have xvfb). */
const XVFB_INSTALL = 'sudo apt-get install -y xvfb libgl1-mesa-dri';

/** Where the UI check runs, as far as the decision needs it. */
export interface UiCheckHost {
  platform: NodeJS.Platform;
  /** GITHUB_ACTIONS=true: a runner, whose desktop session (macOS, Windows) is no person's */
  inGitHubActions: boolean;
  /** Xvfb's path on PATH, when there is one */
  xvfb: string | undefined;
}

export type UiCheckPlan =
  | {
      draw: true;
      /** virtual: the run's own Xvfb; desktop: the session's own (a runner's, or one asked for) */
      display: 'virtual' | 'desktop';
      xvfb: string | undefined;
      /** draw errors fail the run (auto and fail) or are listed (warn) */
      failOnErrors: boolean;
      /** a window that cannot open fails the run only when drawing was asked for by name */
      failOnNoWindow: boolean;
    }
  | { draw: false; note: string | undefined; level: 'info' | 'warning' };

/**
 * Whether and where the add-on's UI is drawn. auto draws wherever the run can have a display
 * of its own (Linux: Xvfb on PATH; macOS and Windows: a runner's desktop) and otherwise says in
 * one line why it did not; never a window on a person's desktop unless they asked for it.
 */
export function planUiCheck(setting: UiCheckSetting, host: UiCheckHost): UiCheckPlan {
  if (setting === 'off') return { draw: false, note: undefined, level: 'info' };
  const failOnErrors = setting !== 'warn';
  const failOnNoWindow = setting === 'fail';
  const desktopOs = host.platform === 'darwin' || host.platform === 'win32';
  if (!desktopOs) {
    if (host.xvfb) return { draw: true, display: 'virtual', xvfb: host.xvfb, failOnErrors, failOnNoWindow };
    const why = `Xvfb is not on PATH, and the UI is drawn on a virtual display of the run's own (${XVFB_INSTALL})`;
    if (setting === 'fail') throw new UserError(`Input 'ui-check' is fail, but the add-on's UI cannot be drawn here: ${why}; or set ui-check: warn or off.`);
    return { draw: false, note: `The add-on's UI was not drawn: ${why}.`, level: setting === 'warn' ? 'warning' : 'info' };
  }
  if (host.inGitHubActions || setting !== 'auto') return { draw: true, display: 'desktop', xvfb: undefined, failOnErrors, failOnNoWindow };
  const system = host.platform === 'darwin' ? 'macOS' : 'Windows';
  return {
    draw: false,
    note: `The add-on's UI was not drawn: on ${system} its window would open on your desktop; ui-check: fail (or warn) draws it there.`,
    level: 'info',
  };
}

/** The plan on this machine: its platform, whether it is a GitHub runner, Xvfb on PATH. */
export async function planUiCheckHere(setting: UiCheckSetting): Promise<UiCheckPlan> {
  if (setting === 'off') return planUiCheck(setting, { platform: process.platform, inGitHubActions: false, xvfb: undefined });
  const xvfb = process.platform === 'win32' || process.platform === 'darwin' ? undefined : (await which('Xvfb', false)) || undefined;
  return planUiCheck(setting, { platform: process.platform, inGitHubActions: process.env['GITHUB_ACTIONS'] === 'true', xvfb });
}
