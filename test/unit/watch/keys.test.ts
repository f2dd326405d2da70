import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type WatchKey, keyOf, listenForKeys } from '../../../src/watch/keys.js';
import { outermost } from '../../../src/watch/watcher.js';

describe('the watch’s keys', () => {
  it('a f r q h (either case), Ctrl-C and Ctrl-D quit; any other key is nothing', () => {
    expect(['a', 'F', 'r', 'q', 'h', '\u0003', '\u0004', 'x', '\r'].map(keyOf)).toEqual([
      'all',
      'failed',
      'restart',
      'quit',
      'help',
      'quit',
      'quit',
      undefined,
      undefined,
    ]);
  });

  it('each key of a chunk is heard, in order; once stopped, no more', () => {
    const input = new PassThrough() as unknown as NodeJS.ReadStream;
    const heard: WatchKey[] = [];
    const stop = listenForKeys(input, (key) => heard.push(key));
    (input as unknown as PassThrough).write('afz');
    return new Promise<void>((resolve) => {
      setImmediate(() => {
        expect(heard).toEqual(['all', 'failed']);
        stop();
        (input as unknown as PassThrough).write('q');
        setImmediate(() => {
          expect(heard).toEqual(['all', 'failed']);
          resolve();
        });
      });
    });
  });
});

describe('outermost: each folder watched once', () => {
  it('a folder inside another is left out; duplicates once', () => {
    expect(outermost(['/r/tests', '/r/tests/probes', '/r/my_addon', '/r/tests', '/r/my_addon_extra'])).toEqual([
      '/r/tests',
      '/r/my_addon',
      '/r/my_addon_extra',
    ]);
  });
});
