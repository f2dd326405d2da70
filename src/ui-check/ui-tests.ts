import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { displayPath } from '../display-path.js';

/**
 * Test files that draw the UI themselves: calling Blender's popup operators, its screenshot, a
 * redraw or simulated input. In `blender -b` call_panel runs the draw and then Blender segfaults
 * (BLENDER-FACTS.md); such files run in the UI check's Blender, which has a window.
 */
const DRAWS_UI = /\b(?:wm\.call_panel|wm\.call_menu|wm\.call_menu_pie|screen\.screenshot(?:_area)?|wm\.redraw_timer|event_simulate)\b/;

export function drawsUi(source: string): boolean {
  return DRAWS_UI.test(source.replace(/^\s*#.*$/gm, ''));
}

/** The test files, as [those that draw the UI, the others]. */
export async function splitUiTests(files: string[]): Promise<[string[], string[]]> {
  const sources = await Promise.all(files.map((file) => readFile(file, 'utf8').catch(() => '')));
  const drawing = files.filter((_, index) => drawsUi(sources[index]!));
  return [drawing, files.filter((file) => !drawing.includes(file))];
}

/** The line that says which files run in the UI check's Blender, and why. */
export function uiTestsLine(files: string[], cwd = process.cwd()): string {
  const shown = files.map((file) => displayPath(path.resolve(file), cwd)).join(', ');
  return `${shown} ${files.length === 1 ? 'draws' : 'draw'} the UI (call_panel, a screenshot, simulated input): run in the UI check's Blender, with a window, after the session.`;
}
