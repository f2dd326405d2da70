import { describe, expect, it } from 'vitest';
import { RUN_ID_VARIABLE } from '../../../src/blender/invocation.js';
import { descendantsIn, parseCim, parsePs } from '../../../src/session/process-table.js';

// Outputs in the shape macOS's ps(1) and PowerShell's ConvertTo-Json print them. They are
// written from those tools' documented formats, not captured on a Mac or Windows machine
// here (none is reachable); the self-test workflow runs the real ones on GitHub's runners.
const MAC_PS = [
  '    1     0     1      0 Ss   /sbin/launchd',
  '  812     1   812      0 S    /Applications/Blender.app/Contents/MacOS/Blender --background --factory-startup --python /Users/runner/work/a/python/blender_bg_driver.py -- /tmp/run/driver.json HOME=/Users/runner BLENDER_BG_RUN_ID=7c1e PATH=/usr/bin',
  '  845   812   812      0 S    /bin/sleep 300 BLENDER_BG_RUN_ID=7c1e HOME=/Users/runner',
  '  846   845   846 ffffff80a2b3c4d0 Z    (python3)',
  'garbage line',
].join('\n');

/** The same processes without -E: commands alone (pid 846 has gone between the two calls). */
const MAC_PS_PLAIN = [
  '    1     0     1      0 Ss   /sbin/launchd',
  '  812     1   812      0 S    /Applications/Blender.app/Contents/MacOS/Blender --background --factory-startup --python /Users/runner/work/a/python/blender_bg_driver.py -- /tmp/run/driver.json',
  '  845   812   812      0 S    /bin/sleep 300',
].join('\n');

const WINDOWS_CIM =
  '[{"ProcessId":0,"ParentProcessId":0,"Name":"System Idle Process","CommandLine":null},' +
  '{"ProcessId":4120,"ParentProcessId":3300,"Name":"blender.exe","CommandLine":"\\"C:\\\\hostedtoolcache\\\\windows\\\\blender\\\\4.2.3\\\\x64\\\\blender.exe\\" --background"},' +
  '{"ProcessId":5200,"ParentProcessId":4120,"Name":"python.exe","CommandLine":"python.exe -m http.server 9000"},' +
  '{"ProcessId":5300,"ParentProcessId":5200,"Name":"conhost.exe","CommandLine":null}]';

describe('process listings of other OSes, parsed', () => {
  it('macOS ps: pid, parent, group, state, the environment from -E, the command without it; a session that is not a number is 0', () => {
    const entries = parsePs(MAC_PS, MAC_PS_PLAIN);
    expect(entries.map((e) => [e.pid, e.parent, e.processGroup, e.session, e.state])).toEqual([
      [1, 0, 1, 0, 'S'],
      [812, 1, 812, 0, 'S'],
      [845, 812, 812, 0, 'S'],
      [846, 845, 846, 0, 'Z'],
    ]);
    expect(entries[2]?.environment).toContain(`${RUN_ID_VARIABLE}=7c1e`);
    // Reports print commands: never an environment (it may hold secrets).
    expect(entries.map((e) => e.command)).toEqual(['/sbin/launchd', expect.stringMatching(/driver\.json$/), '/bin/sleep 300', '(python3)']);
    expect(descendantsIn(entries, 812).map((e) => e.pid)).toEqual([845, 846]);
  });

  it('Windows CIM JSON: pid, parent, command (or the image name); descendants by parent id', () => {
    const entries = parseCim(WINDOWS_CIM);
    expect(entries.map((e) => [e.pid, e.parent, e.command])).toEqual([
      [0, 0, 'System Idle Process'],
      [4120, 3300, '"C:\\hostedtoolcache\\windows\\blender\\4.2.3\\x64\\blender.exe" --background'],
      [5200, 4120, 'python.exe -m http.server 9000'],
      [5300, 5200, 'conhost.exe'],
    ]);
    expect(entries.every((e) => e.environment === undefined)).toBe(true);
    expect(descendantsIn(entries, 4120).map((e) => e.pid)).toEqual([5200, 5300]);
  });

  it('one process is an object, not an array; nothing parseable is an empty table', () => {
    expect(parseCim('{"ProcessId":7,"ParentProcessId":1,"Name":"a.exe","CommandLine":null}').map((e) => e.pid)).toEqual([7]);
    expect(parseCim('')).toEqual([]);
    expect(parseCim('Get-CimInstance : Access denied')).toEqual([]);
  });
});
