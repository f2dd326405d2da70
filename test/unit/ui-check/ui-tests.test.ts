import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawsUi, splitUiTests } from '../../../src/ui-check/ui-tests.js';

describe('drawsUi', () => {
  it("Blender's popup operators, its screenshot, a redraw or simulated input draw the UI", () => {
    for (const call of [
      'bpy.ops.wm.call_panel(name="X")',
      'bpy.ops.wm.call_menu(name="X")',
      'bpy.ops.wm.call_menu_pie(name="X")',
      'bpy.ops.screen.screenshot(filepath=p)',
      'bpy.ops.screen.screenshot_area(filepath=p)',
      "bpy.ops.wm.redraw_timer(type='DRAW_WIN_SWAP')",
      "window.event_simulate(type='ESC', value='PRESS')",
    ]) {
      expect(drawsUi(`import bpy\n\ndef test_x():\n    ${call}\n`), call).toBe(true);
    }
  });

  it('operators that draw nothing, and a mention in a comment, do not', () => {
    expect(drawsUi('bpy.ops.mesh.primitive_cube_add()\nbpy.ops.wm.read_factory_settings()\n')).toBe(false);
    expect(drawsUi('# in -b, bpy.ops.wm.call_panel crashes\nassert True\n')).toBe(false);
  });

  it('splits the files, in their order', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bg-ui-tests-'));
    const [a, b, c] = ['test_a.py', 'test_b.py', 'test_c.py'].map((f) => path.join(dir, f)) as [string, string, string];
    await writeFile(a, 'bpy.ops.wm.call_panel(name="P")\n');
    await writeFile(b, 'assert 1\n');
    await writeFile(c, 'bpy.ops.screen.screenshot(filepath="x.png")\n');
    expect(await splitUiTests([a, b, c])).toEqual([[a, c], [b]]);
  });
});
