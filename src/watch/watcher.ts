import path from 'node:path';
import { watch } from 'chokidar';
import { SKIPPED } from '../addon/files.js';

/** A running watch: `ready` once every folder is being watched, `close()` to stop. */
export interface FolderWatch {
  ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Watches folders (recursively) and calls `onBurst` with the files that changed once saving has
 * stopped for `quietMs`: an editor's save (write, rename, chmod, a backup) is one burst, one run.
 *
 * chokidar, not `fs.watch`: a recursive `fs.watch` on Linux stays bound to a file's first inode,
 * so after one save by rename (vim, `sed -i`, JetBrains' safe write) that file's later saves
 * were never seen. chokidar watches the folder entries again as they are replaced, sees
 * folders created after the start, and is plain JavaScript (bundled into dist/, where
 * @parcel/watcher would need a native binary per runner platform).
 */
export function watchFolders(folders: string[], onBurst: (files: string[]) => void, quietMs = 20): FolderWatch {
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(outermost(folders), {
    ignoreInitial: true,
    // The burst's quiet time already makes a save by rename one run; chokidar's own `atomic` would
    // report the temporary file's unlink 100 ms later, a second run for nothing.
    atomic: false,
    // Caches and version control are never the add-on's change, and .git or a .venv is large to watch.
    ignored: (file) => SKIPPED.has(path.basename(file)),
  });
  watcher.on('all', (event, file) => {
    if (event === 'addDir' || event === 'unlinkDir') return; // a folder's files come as their own events
    changed.add(path.resolve(file));
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...changed];
      changed.clear();
      onBurst(files);
    }, quietMs);
  });
  // A watched folder removed, a file unreadable: nothing more comes from it; the watch goes on.
  watcher.on('error', () => {});
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    ready,
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}

/** Each folder once, none inside another already watched (a recursive watch would report twice). */
export function outermost(folders: string[]): string[] {
  const sorted = [...new Set(folders.map((f) => path.resolve(f)))].sort((a, b) => a.length - b.length);
  return sorted.filter((folder, i) => !sorted.slice(0, i).some((outer) => folder.startsWith(outer + path.sep)));
}
