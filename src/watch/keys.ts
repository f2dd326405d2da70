/** What a key asks of the watch, as vitest's watch mode has them. */
export type WatchKey = 'all' | 'failed' | 'restart' | 'quit' | 'help';

const KEYS: Record<string, WatchKey> = { a: 'all', f: 'failed', r: 'restart', q: 'quit', h: 'help', '\u0003': 'quit', '\u0004': 'quit' };

/** The keys' one line, shown after each run. */
export const KEYS_LINE = 'Watching. Press a to run everything, f to run what failed, r to restart Blender, q to quit, h for help.';

export const KEYS_HELP = [
  'a  run every test and probe file again',
  'f  run only the files that failed last time',
  'r  restart Blender: a fresh session, the add-on enabled again',
  'q  quit: Blender is stopped and checked for leftovers, as always (Ctrl-C too)',
  'h  this help',
];

export function keyOf(input: string): WatchKey | undefined {
  return KEYS[input.toLowerCase()] ?? KEYS[input];
}

/**
 * Reads single keys from a terminal (raw mode: no Enter, Ctrl-C arrives as a key and quits the
 * watch as q does). Returns the function that puts the terminal back.
 */
export function listenForKeys(input: NodeJS.ReadStream, onKey: (key: WatchKey) => void): () => void {
  const raw = input.isTTY === true;
  if (raw) input.setRawMode(true);
  input.setEncoding('utf8');
  const onData = (chunk: string) => {
    for (const char of chunk) {
      const key = keyOf(char);
      if (key) onKey(key);
    }
  };
  input.on('data', onData);
  input.resume();
  return () => {
    input.off('data', onData);
    if (raw) input.setRawMode(false);
    input.pause();
  };
}
