import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const SUITE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'python', 'test_pump_wake.py');

// PumpWake touches no bpy: its hook, bound and removal are tested under plain Python 3.
describe('the driver’s pump wake (Python unittest)', () => {
  it('passes every case in test/python/test_pump_wake.py', async () => {
    const result = await execa('python3', [SUITE, '-v'], { reject: false });
    expect(result.stderr).toMatch(/^Ran 4 tests in /m);
    expect(result.stderr).toMatch(/^OK$/m);
    expect(result.exitCode).toBe(0);
  });
});
