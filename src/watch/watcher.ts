import { type FSWatcher, watch } from 'node:fs';
import path from 'node:path';

/**
 * Watches folders (recursively) and calls `onBurst` with the files that changed once saving has
 * stopped for `quietMs`: an editor's save (write, rename, chmod, a backup) is one burst, one run.
 */
export function watchFolders(folders: string[], onBurst: (files: string[]) => void, quietMs = 20): { close(): void } {
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = [];
  for (const folder of outermost(folders)) {
    const watcher = watch(folder, { recursive: true }, (_event, name) => {
      if (!name) return;
      changed.add(path.join(folder, name.toString()));
      clearTimeout(timer);
      timer = setTimeout(() => {
        const files = [...changed];
        changed.clear();
        onBurst(files);
      }, quietMs);
    });
    watcher.on('error', () => {}); // a watched folder removed: nothing more comes from it
    watchers.push(watcher);
  }
  return {
    close() {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}

/** Each folder once, none inside another already watched (recursive watches would report twice). */
export function outermost(folders: string[]): string[] {
  const sorted = [...new Set(folders.map((f) => path.resolve(f)))].sort((a, b) => a.length - b.length);
  return sorted.filter((folder, i) => !sorted.slice(0, i).some((outer) => folder.startsWith(outer + path.sep)));
}
