import { describe, expect, it } from 'vitest';
import { windowFailureSentence } from '../../../src/ui-check/window-failure.js';

describe('windowFailureSentence', () => {
  it('names the library, the OpenGL Blender needs, or the display, from what Blender printed', () => {
    expect(windowFailureSentence('was killed by SIGABRT', "Couldn't open libGL.so.1\nAborted", '/l.log')).toBe(
      'Blender was killed by SIGABRT before its window opened: it could not load libGL.so.1 (on Debian and Ubuntu: sudo apt-get install -y libgl1 libglx-mesa0 libgl1-mesa-dri); its log: /l.log',
    );
    expect(windowFailureSentence('exited with code 1', 'Error! Unsupported graphics card or driver.\nA graphics card and driver with support for OpenGL 4.3 or higher is required.', '/l.log')).toMatch(/^Blender exited with code 1 before its window opened: it needs OpenGL 4\.3; its log: \/l\.log$/);
    expect(windowFailureSentence('exited with code 1', 'Unable to open a display', '/l.log')).toMatch(/it could not connect to the display/);
    expect(windowFailureSentence('exited with code 3', 'something\nlast words', '/l.log')).toBe('Blender exited with code 3 before its window opened (its last line: last words); its log: /l.log');
  });
});
