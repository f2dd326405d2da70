import { describe, expect, it } from 'vitest';
import { classifyStop } from '../../../src/session/teardown.js';

const exit = (exitCode: number | undefined, signal?: string) => ({ exitCode, signal, spawnError: undefined });
const stopped = { stopping: 'SIGTERM', clean: true };

describe('classifyStop: how Blender ended, from its exit and the driver’s stop record', () => {
  it('graceful only when the driver saw the request, finished its stop, and Blender exited 0', () => {
    expect(classifyStop({ exit: exit(0), record: stopped, knownGone: false, killed: false })).toBe('graceful');
  });

  it('an exit 0 with no stop request seen is early: the add-on (or something) ended Blender, not us', () => {
    // Node had not handled the exit event yet when teardown began: the record still tells.
    expect(classifyStop({ exit: exit(0), record: {}, knownGone: false, killed: false })).toBe('early');
    expect(classifyStop({ exit: exit(0), record: {}, knownGone: true, killed: false })).toBe('early');
    expect(classifyStop({ exit: exit(undefined, 'SIGSEGV'), record: {}, knownGone: false, killed: false })).toBe('early');
  });

  it('asked to stop but not ended cleanly is unclean', () => {
    expect(classifyStop({ exit: exit(0), record: { stopping: 'SIGTERM' }, knownGone: false, killed: false })).toBe('unclean');
    expect(classifyStop({ exit: exit(1), record: stopped, knownGone: false, killed: false })).toBe('unclean');
    expect(classifyStop({ exit: exit(undefined, 'SIGSEGV'), record: { stopping: 'SIGTERM' }, knownGone: false, killed: false })).toBe('unclean');
    // SIGTERM before the driver's handler was installed (still starting): ours, not early.
    expect(classifyStop({ exit: exit(undefined, 'SIGTERM'), record: {}, knownGone: false, killed: false })).toBe('unclean');
  });

  it('killed after the timeout is killed, whatever the record says', () => {
    expect(classifyStop({ exit: exit(undefined, 'SIGKILL'), record: { stopping: 'SIGTERM' }, knownGone: false, killed: true })).toBe('killed');
  });
});
