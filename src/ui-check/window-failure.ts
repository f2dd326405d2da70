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
  if (needs)
    return `Blender ${how} before its window opened: it needs OpenGL ${needs}${found ? `, and the display's OpenGL is ${found}` : ''}; its log: ${logPath}`;
  if (/cannot open display|Unable to open a display|failed to open X display/i.test(tail))
    return `Blender ${how} before its window opened: it could not connect to the display; its log: ${logPath}`;
  const last = tail.trim().split('\n').filter(Boolean).at(-1);
  return `Blender ${how} before its window opened${last ? ` (its last line: ${last.trim()})` : ''}; its log: ${logPath}`;
}

/**
 * Blender's window did not open in time. Said nothing (its stdout is a pipe, buffered until it
 * exits): measured on 4.3.2 and 5.2.2 under Xvfb with Mesa told to offer OpenGL 3.3, Blender
 * shows a message box about the graphics driver and waits for a click that never comes.
 */
export function windowTimeoutSentence(limit: string, tail: string, logPath: string): string {
  const said = tail.trim().split('\n').filter(Boolean).at(-1);
  const why = said
    ? `its last line: ${said.trim()}`
    : "it printed nothing: an OpenGL older than it needs (4.3 for Blender 4.x and 5.x, 3.3 for 3.x) makes it wait on a message box no one can close; Mesa's llvmpipe under Xvfb offers 4.5 (sudo apt-get install -y libgl1-mesa-dri)";
  return `Blender's window did not open within ${limit} (startup-timeout), and it was stopped; ${why}; its log: ${logPath}`;
}
