import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { RunSignals } from '../../src/cancel.js';

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(5);
}

// Real signals to this very process: RunSignals' listeners keep Node from ending it.
describe('signals during a run', () => {
  it('the first aborts the run (Blender is still stopped and scanned); a second exits at once', async () => {
    const exits: number[] = [];
    const signals = new RunSignals((code) => exits.push(code));
    try {
      process.kill(process.pid, 'SIGTERM');
      await until(() => signals.signal.aborted);
      expect(exits).toEqual([]);
      process.kill(process.pid, 'SIGINT');
      await until(() => exits.length > 0);
      expect(exits).toEqual([130]);
    } finally {
      signals.close();
    }
  });

  it('a closed terminal (SIGHUP) aborts the run as ^C does: Blender is stopped, not left running', async () => {
    const exits: number[] = [];
    const signals = new RunSignals((code) => exits.push(code));
    try {
      process.kill(process.pid, 'SIGHUP');
      await until(() => signals.signal.aborted);
      expect(exits).toEqual([]);
    } finally {
      signals.close();
    }
  });

  it('once Blender has stopped (only reports are left), the first one exits at once', async () => {
    const exits: number[] = [];
    const signals = new RunSignals((code) => exits.push(code));
    try {
      signals.nothingLeftToStop();
      process.kill(process.pid, 'SIGTERM');
      await until(() => exits.length > 0);
      expect(exits).toEqual([143]);
      expect(signals.signal.aborted).toBe(false);
    } finally {
      signals.close();
    }
  });
});
