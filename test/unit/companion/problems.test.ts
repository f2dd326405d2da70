import { describe, expect, it } from 'vitest';
import type { BesideReport } from '../../../src/companion/beside-blender.js';
import { besideProblems } from '../../../src/companion/problems.js';

const ended = { command: 'node bridge.js', logPath: '/logs/companion-1.log', endedEarly: undefined, killed: false, tail: '', failedToStart: false };
const report = (fields: Partial<BesideReport>): BesideReport => ({ companion: ended, leftovers: [], unkillable: [], stdioLog: undefined, ...fields });

describe('besideProblems', () => {
  it('nothing ran beside Blender, or all ended well: no problem', () => {
    expect(besideProblems(undefined, 10_000)).toEqual([]);
    expect(besideProblems(report({}), 10_000)).toEqual([]);
  });

  it('a companion that ended early or had to be killed, and what outlived it', () => {
    const leftover = { pid: 42, state: 'S', command: 'python -m server' };
    expect(besideProblems(report({ companion: { ...ended, endedEarly: 'exited with code 3', killed: false }, leftovers: [leftover] }), 10_000)).toEqual([
      'The companion (node bridge.js) exited with code 3 before teardown; its last lines are in the details and its log (/logs/companion-1.log).',
      '1 process outlived the companion and was killed: pid 42 (state S): python -m server.',
    ]);
    // One that never got ready was the session's failure already: its exit is not said twice.
    expect(besideProblems(report({ companion: { ...ended, endedEarly: 'exited with code 3', failedToStart: true } }), 10_000)).toEqual([]);
    expect(besideProblems(report({ companion: { ...ended, killed: true } }), 2000)).toEqual([
      'The companion (node bridge.js) did not end within 2s of SIGTERM (shutdown-timeout), and its process group was killed.',
    ]);
  });

  it('without a companion, what outlived a stdio MCP server is its', () => {
    expect(
      besideProblems(
        report({
          companion: undefined,
          leftovers: [
            { pid: 7, state: 'S', command: 'x' },
            { pid: 8, state: 'S', command: 'y' },
          ],
        }),
        1000,
      ),
    ).toEqual(['2 processes outlived the MCP server it started over stdio and were killed: pid 7 (state S): x; pid 8 (state S): y.']);
  });
});
