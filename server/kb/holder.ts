/**
 * KnowledgeBaseHolder: the knowledge base currently serving. Reloads swap it atomically when the new
 * version is valid and keep the old one serving when it is not; listeners hear about every swap.
 */
import path from 'node:path';
import { countKnowledgeBase, type KbCounts } from './counts.ts';
import { countBySeverity, formatIssue, formatIssues } from './issues.ts';
import type { KbIssue, KnowledgeBase } from './knowledge-base.ts';
import { loadKnowledgeBase, type KbValidator, type LoadResult } from './load.ts';
import { watchKnowledgeBase, type KbWatcher } from './watch.ts';

export interface KbLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface HolderOptions {
  validators?: readonly KbValidator[];
  /** Reload when files change (KB_WATCH). */
  watch?: boolean;
  /** Quiet period after the last change before reloading (default 250 ms). */
  watchDebounceMs?: number;
  logger?: KbLogger;
  /** "Today" for date checks, evaluated at each load (default: the current time). */
  now?: () => Date;
}

export interface ReloadResult {
  /** True when the files are valid (the served version is now theirs). */
  ok: boolean;
  /** True when a different version is now serving. */
  changed: boolean;
  /** Hash of the version serving after the reload. */
  hash: string;
  /** Errors (when not ok) and warnings of the files just read. */
  issues: KbIssue[];
}

export interface KbStatus {
  root: string;
  hash: string;
  loadedAt: string;
  counts: KbCounts;
  /** Warnings of the serving version. */
  warnings: KbIssue[];
  watching: boolean;
  lastReload?: { at: string; ok: boolean; hash: string; issues: KbIssue[] };
}

export type KbChangeListener = (kb: KnowledgeBase, previous: KnowledgeBase) => void;

export interface KnowledgeBaseHolder {
  readonly root: string;
  current(): KnowledgeBase;
  reload(): Promise<ReloadResult>;
  /** Called after each swap to a new version; returns the unsubscribe function. */
  onChange(listener: KbChangeListener): () => void;
  status(): KbStatus;
  /** Stops watching. */
  close(): Promise<void>;
}

/** The knowledge base cannot be used; the message lists every issue as `file:line field: message`. */
export class KnowledgeBaseInvalidError extends Error {
  constructor(
    readonly root: string,
    readonly issues: KbIssue[],
  ) {
    const { errors, warnings } = countBySeverity(issues);
    super(`The knowledge base at ${root} has ${errors} error(s) and ${warnings} warning(s):\n${formatIssues(issues)}`);
    this.name = 'KnowledgeBaseInvalidError';
  }
}

const silent: KbLogger = { info() {}, warn() {}, error() {} };

/** Loads the knowledge base (throwing KnowledgeBaseInvalidError when it has errors) and holds it. */
export async function createKnowledgeBaseHolder(root: string, options: HolderOptions = {}): Promise<KnowledgeBaseHolder> {
  const absRoot = path.resolve(root);
  const log = options.logger ?? silent;
  const load = (): Promise<LoadResult> => loadKnowledgeBase(absRoot, { validators: options.validators, now: options.now?.() });

  const first = await load();
  if (!first.kb) throw new KnowledgeBaseInvalidError(absRoot, first.issues);
  let kb: KnowledgeBase = first.kb;
  let counts = countKnowledgeBase(kb);
  let warnings = first.issues;
  let lastReload: KbStatus['lastReload'];
  const listeners = new Set<KbChangeListener>();

  const attempt = async (): Promise<ReloadResult> => {
    let result: LoadResult;
    try {
      result = await load();
    } catch (e) {
      result = { issues: [{ file: '.', field: '', message: `reading failed: ${(e as Error).message}`, severity: 'error' }], hash: '', counts };
    }
    lastReload = { at: new Date().toISOString(), ok: !!result.kb, hash: result.hash, issues: result.issues };
    if (!result.kb) return { ok: false, changed: false, hash: kb.hash, issues: result.issues };
    const previous = kb;
    const changed = result.kb.hash !== previous.hash;
    if (changed) {
      kb = result.kb;
      counts = countKnowledgeBase(kb);
      warnings = result.issues;
      for (const listener of listeners) {
        try {
          listener(kb, previous);
        } catch (e) {
          log.error(`knowledge-base change listener failed: ${(e as Error).message}`);
        }
      }
    }
    return { ok: true, changed, hash: kb.hash, issues: result.issues };
  };

  // One reload at a time; calls arriving meanwhile share a single follow-up reload.
  let running: Promise<ReloadResult> | undefined;
  let queued: Promise<ReloadResult> | undefined;
  const reload = (): Promise<ReloadResult> => {
    if (!running) {
      running = attempt().finally(() => {
        running = undefined;
      });
      return running;
    }
    queued ??= running.then(() => {
      queued = undefined;
      return reload();
    });
    return queued;
  };

  let watcher: KbWatcher | undefined;
  if (options.watch) {
    watcher = await watchKnowledgeBase(absRoot, {
      debounceMs: options.watchDebounceMs ?? 250,
      onError: (e) => log.error(`knowledge-base watcher: ${e.message}`),
      onChange: async () => {
        const r = await reload();
        if (r.ok && r.changed) log.info(`knowledge base reloaded: hash ${r.hash.slice(0, 12)}, ${counts.items} items`);
        else if (!r.ok) {
          const { errors } = countBySeverity(r.issues);
          log.error(`knowledge base has ${errors} error(s) after a change; still serving ${r.hash.slice(0, 12)}`);
          for (const issue of r.issues) if (issue.severity === 'error') log.error(formatIssue(issue));
        }
      },
    });
  }

  return {
    root: absRoot,
    current: () => kb,
    reload,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    status: () => ({
      root: absRoot,
      hash: kb.hash,
      loadedAt: kb.loadedAt,
      counts,
      warnings,
      watching: watcher !== undefined,
      ...(lastReload ? { lastReload } : {}),
    }),
    async close() {
      await watcher?.close();
      watcher = undefined;
    },
  };
}
