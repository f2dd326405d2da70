/**
 * Blender left before its window opened: the sentence that says why, from what it printed.
 * Measured: "Couldn't open libGL.so.1" (sid without Mesa's GL libraries, then abort); Blender 4.x
 * and 5.x refuse an OpenGL below 4.3, 3.x below 3.3.
 */
export function windowFailureSentence(how: string, tail: string, logPath: string): string {
  if (/libGL\.so|libGLX|libEGL/i.test(tail)) {
    const library = /lib(?:GL|GLX|EGL)[\w.]*\.so[\d.]*/.exec(tail)?.[0] ?? 'libGL.so.1';
    return `Blender ${how} before its window opened: it could not load ${library} (on Debian and Ubuntu: sudo apt-get install -y libgl1 libglx-mesa0 libgl1-mesa-dri); its log: ${logPath}`;
  }
  const needs = /OpenGL (\d+\.\d+)(?: or higher| or newer|\+)/i.exec(tail)?.[1];
  const found = /(?:OpenGL (?:version|Version):?|version string:)\s*(\d+\.\d+)/.exec(tail)?.[1] ?? /Mesa (\d+\.\d+)/.exec(tail)?.[0];
  if (needs) return `Blender ${how} before its window opened: it needs OpenGL ${needs}${found ? `, and the display's OpenGL is ${found}` : ''}; its log: ${logPath}`;
  if (/cannot open display|Unable to open a display|failed to open X display/i.test(tail)) return `Blender ${how} before its window opened: it could not connect to the display; its log: ${logPath}`;
  const last = tail.trim().split('\n').filter(Boolean).at(-1);
  return `Blender ${how} before its window opened${last ? ` (its last line: ${last.trim()})` : ''}; its log: ${logPath}`;
}
