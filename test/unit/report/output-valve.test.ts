import { describe, expect, it } from 'vitest';
import { OutputValve } from '../../../src/report/output-valve.js';

describe('OutputValve', () => {
  it('passes lines while the reader keeps up, drops them while it is behind, then says how many', () => {
    const stream = { writableLength: 0 };
    const valve = new OutputValve(stream, 100);
    const written: string[] = [];
    const write = (line: string) => written.push(line);
    valve.offer('one', write);
    stream.writableLength = 101;
    valve.offer('two', write);
    valve.offer('three', write);
    stream.writableLength = 0;
    valve.offer('four', write);
    expect(written).toEqual(['one', expect.stringMatching(/^… 2 lines of Blender output not shown here: .*The log file has every line\.$/), 'four']);
  });
});
