import { describe, expect, it } from 'vitest';
import { drawInProgress, parseUiEvents } from '../../../src/ui-check/ui-events.js';

const lines = (events: object[]) => events.map((e) => JSON.stringify(e)).join('\n');
const window = { event: 'window', blender: '4.3.2', gl: null, ms: 900 };
const drawn = (draw: string) => ({ event: 'drawn', draw, targets: [draw], cycle: 0, ms: 2, image: null, baseline: null, crop: null });

describe('parseUiEvents', () => {
  it('reads every whole event and leaves out a line Blender died writing', () => {
    const text = `${lines([window, { event: 'waiting' }])}\n{"event": "drawing", "draw": "MY_PT_pa`;
    expect(parseUiEvents(text).map((e) => e.event)).toEqual(['window', 'waiting']);
  });

  it('the draw in progress is the last one started and not returned', () => {
    const events = parseUiEvents(
      lines([window, { event: 'drawing', draw: 'A', targets: ['A'], cycle: 0 }, drawn('A'), { event: 'drawing', draw: 'B', targets: ['B'], cycle: 0 }]),
    );
    expect(drawInProgress(events)?.draw).toBe('B');
    expect(drawInProgress(events.slice(0, 3))).toBeUndefined();
  });
});
