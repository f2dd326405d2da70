import { describe, expect, it } from 'vitest';
import { windowFailureSentence, windowTimeoutSentence } from '../../../src/ui-check/window-failure.js';

describe('windowFailureSentence', () => {
  it('names the library, the OpenGL Blender needs, or the display, from what Blender printed', () => {
    expect(windowFailureSentence('was killed by SIGABRT', "Couldn't open libGL.so.1\nAborted", '/l.log')).toBe(
      'Blender was killed by SIGABRT before its window opened: it could not load libGL.so.1 (on Debian and Ubuntu: sudo apt-get install -y libgl1 libglx-mesa0 libgl1-mesa-dri); its log: /l.log',
    );
    expect(
      windowFailureSentence(
        'exited with code 1',
        'Error! Unsupported graphics card or driver.\nA graphics card and driver with support for OpenGL 4.3 or higher is required.',
        '/l.log',
      ),
    ).toMatch(/^Blender exited with code 1 before its window opened: it needs OpenGL 4\.3; its log: \/l\.log$/);
    expect(windowFailureSentence('exited with code 1', 'Unable to open a display', '/l.log')).toMatch(/it could not connect to the display/);
    expect(windowFailureSentence('exited with code 3', 'something\nlast words', '/l.log')).toBe(
      'Blender exited with code 3 before its window opened (its last line: last words); its log: /l.log',
    );
  });
});

describe('windowTimeoutSentence', () => {
  it('a Blender that said nothing: the message box an old OpenGL makes it wait on; otherwise its last line', () => {
    expect(windowTimeoutSentence('1m', '', '/l.log')).toBe(
      "Blender's window did not open within 1m (startup-timeout), and it was stopped; it printed nothing: an OpenGL older than it needs (4.3 for Blender 4.x and 5.x, 3.3 for 3.x) makes it wait on a message box no one can close; Mesa's llvmpipe under Xvfb offers 4.5 (sudo apt-get install -y libgl1-mesa-dri); its log: /l.log",
    );
    expect(windowTimeoutSentence('10s', 'Read prefs\nColor management: waiting', '/l.log')).toBe(
      "Blender's window did not open within 10s (startup-timeout), and it was stopped; its last line: Color management: waiting; its log: /l.log",
    );
  });
});
