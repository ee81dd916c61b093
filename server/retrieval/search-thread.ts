/**
 * Ranking in a search thread of its own: the lexical and vector indexes of a large knowledge base are loaded
 * in a worker thread (search-worker.ts) from the index's cache directory, and queries analysed on the main
 * thread are embedded (by the offline model, which is loaded there only) and ranked there. The main thread keeps
 * the dialogue, the HTTP server and the storage; the ranking, about a third of an answer's work on 15,000 items,
 * runs beside them on the second core. The indexes are loaded in the thread only, never in both; the documents
 * in the main thread only (the thread answers with document numbers, which the retriever names).
 *
 * A thread that dies is started again and the searches it had not answered are sent once more; one that
 * cannot load its index fails the start, and the retriever falls back to ranking in its own thread.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PROJECT_ROOT } from '../config/config.ts';
import type { DocumentFacts } from './documents.ts';
import type { FusionParams } from './fusion.ts';
import { unpackRanking, type PackedRanking } from './packed-ranking.ts';
import type { IndexSummary, Ranker, Ranking, RankRequest } from './ranking.ts';
import type { RetrievalLogger } from './retriever.ts';

/** What the thread is started with (its workerData). */
export interface SearchThreadData {
  indexDir: string;
  efSearch: number;
  fusion: FusionParams;
  /** The documents' kinds and subjects (the documents themselves stay with the retriever). */
  facts: DocumentFacts;
  /** Load the offline model from the index directory and embed the queries here (they arrive as `lsa`). */
  embedsQueries: boolean;
}

/** Main thread → search thread. */
export interface RankMessage {
  id: number;
  request: RankRequest;
}

/** Search thread → main thread. */
export type SearchThreadMessage =
  | { type: 'ready'; summary: IndexSummary }
  | { type: 'ranked'; id: number; ranking: PackedRanking }
  | { type: 'failed'; id: number; message: string }
  | { type: 'warn'; message: string };

/**
 * How the thread starts: from the bundle (npm run build:server writes dist/server/retrieval/search-worker.mjs
 * beside the code that starts it), or from source under tsx when this module runs from source.
 */
function threadEntry(): { code: string; eval: boolean } | { file: URL } {
  if (!import.meta.url.endsWith('.ts')) return { file: new URL('./retrieval/search-worker.mjs', import.meta.url) };
  const entry = pathToFileURL(path.join(PROJECT_ROOT, 'server', 'retrieval', 'search-worker.ts')).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return { code: `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`, eval: true };
}

/**
 * The thread allocates little per search: a small young generation keeps its heap's unused reserve (tens of MB
 * at the default size) out of the service's resident memory.
 */
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 8 };

interface Pending {
  request: RankRequest;
  resolve: (ranking: Ranking) => void;
  reject: (err: Error) => void;
  /** Already sent to a thread that died once. */
  resent: boolean;
}

export class SearchThread implements Ranker {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  /** Why searching stopped, when a dead thread could not be replaced. */
  private failure?: Error;
  private drained?: () => void;

  private constructor(
    private readonly data: SearchThreadData,
    private current: Worker,
    private indexSummary: IndexSummary,
    private readonly logger?: RetrievalLogger,
  ) {
    this.watch(current);
  }

  /** Starts a thread and resolves once it has loaded the index (rejects when it cannot). */
  static async start(data: SearchThreadData, logger?: RetrievalLogger): Promise<SearchThread> {
    const { worker, summary } = await spawn(data);
    return new SearchThread(data, worker, summary, logger);
  }

  get embedsQueries(): boolean {
    return this.data.embedsQueries;
  }

  summary(): IndexSummary {
    return this.indexSummary;
  }

  /** The thread now serving (for supervision tests). */
  get worker(): Worker {
    return this.current;
  }

  rank(request: RankRequest): Promise<Ranking> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('the search thread is closed'));
    return new Promise<Ranking>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { request, resolve, reject, resent: false });
      if (this.pending.size === 1) this.current.ref();
      this.current.postMessage({ id, request } satisfies RankMessage);
    });
  }

  /** Ends the thread once every search sent to it is answered. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.pending.size) await new Promise<void>((resolve) => (this.drained = resolve));
    await this.current.terminate();
  }

  private watch(worker: Worker): void {
    worker.unref(); // an idle search thread never keeps the process alive
    worker.on('message', (m: SearchThreadMessage) => {
      if (m.type === 'warn') this.logger?.warn({ thread: worker.threadId }, m.message);
      else if (m.type === 'ranked') this.settle(m.id, (p) => p.resolve(unpackRanking(m.ranking, p.request.terms)));
      else if (m.type === 'failed') this.settle(m.id, (p) => p.reject(new Error(m.message)));
    });
    worker.on('error', (err) => this.logger?.warn({ err, thread: worker.threadId }, 'the search thread failed'));
    worker.on('exit', () => {
      if (worker === this.current && !this.closed) void this.restart();
    });
  }

  private settle(id: number, how: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    how(p);
    if (!this.pending.size) {
      this.current.unref();
      this.drained?.();
    }
  }

  /** A new thread for one that died: the searches it left unanswered go to the new one, each once. */
  private async restart(): Promise<void> {
    this.logger?.warn({ pending: this.pending.size }, 'the search thread exited; starting another');
    try {
      const { worker, summary } = await spawn(this.data);
      this.current = worker;
      this.indexSummary = summary;
      this.watch(worker);
      if (this.closed) return void worker.terminate();
      for (const [id, p] of this.pending) {
        if (p.resent) this.settle(id, (q) => q.reject(new Error('the search thread exited twice during this search')));
        else {
          p.resent = true;
          worker.postMessage({ id, request: p.request } satisfies RankMessage);
        }
      }
      if (this.pending.size) worker.ref();
    } catch (err) {
      this.logger?.warn({ err }, 'the search thread could not be started again');
      this.failure = new Error(`the search thread died and could not be started again: ${(err as Error).message}`);
      for (const id of [...this.pending.keys()]) this.settle(id, (p) => p.reject(this.failure!));
    }
  }
}

/** A thread with its index loaded. */
function spawn(data: SearchThreadData): Promise<{ worker: Worker; summary: IndexSummary }> {
  const entry = threadEntry();
  const options = { workerData: data, resourceLimits: THREAD_LIMITS };
  const worker = 'file' in entry ? new Worker(entry.file, options) : new Worker(entry.code, { ...options, eval: true });
  return new Promise((resolve, reject) => {
    const failed = (err: Error) => {
      cleanup();
      void worker.terminate();
      reject(err);
    };
    const exited = (code: number) => failed(new Error(`the search thread exited with code ${code} while loading the index`));
    const ready = (m: SearchThreadMessage) => {
      if (m.type !== 'ready') return;
      cleanup();
      resolve({ worker, summary: m.summary });
    };
    const cleanup = () => {
      worker.off('message', ready);
      worker.off('error', failed);
      worker.off('exit', exited);
    };
    worker.on('message', ready);
    worker.on('error', failed);
    worker.on('exit', exited);
  });
}
