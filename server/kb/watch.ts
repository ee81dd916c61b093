/** Watches a knowledge-base directory and reports changes once they settle (debounced). */
import path from 'node:path';
import { watch } from 'chokidar';

export interface KbWatcher {
  close(): Promise<void>;
}

export interface WatchOptions {
  debounceMs: number;
  onChange: () => Promise<void> | void;
  onError: (e: Error) => void;
}

/**
 * chokidar drops a file's further `change` events for 50 ms after emitting one. Reloading no sooner
 * than this after the last event we heard means every write inside that window is read anyway.
 */
const MIN_QUIET_MS = 100;

export async function watchKnowledgeBase(root: string, options: WatchOptions): Promise<KbWatcher> {
  const quietMs = Math.max(options.debounceMs, MIN_QUIET_MS);
  const watcher = watch(root, {
    ignoreInitial: true,
    ignored: (p) => {
      const rel = path.relative(root, p).split(path.sep);
      return rel[0] === 'schema' || rel.some((part) => part.startsWith('.'));
    },
  });
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  watcher.on('all', () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      Promise.resolve(options.onChange()).catch((e: unknown) => options.onError(e as Error));
    }, quietMs);
  });
  watcher.on('error', (e) => options.onError(e as Error));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
