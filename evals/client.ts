/**
 * How the runner talks to Daoban: in process (the real app built by buildApp over the real knowledge base, a
 * temporary DATA_DIR, requests through fastify inject) or a running server's URL. Either way every message goes
 * through POST /api/chat, the same path the widget uses.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChatReply, Lang } from '../server/assistant/reply.ts';
import type { KnowledgeBase } from '../server/kb/knowledge-base.ts';
import type { Retriever } from '../server/retrieval/types.ts';

export interface ChatRequest {
  message: string;
  sessionId?: string;
  lang?: Lang;
}

export interface EvalClient {
  /** Where the replies come from, for the report ("in-process" or the URL). */
  readonly target: string;
  /** The knowledge base the cases are judged against. */
  readonly kb: KnowledgeBase;
  chat(request: ChatRequest): Promise<ChatReply>;
  /** Ranked subjects (item ids, or document ids about no single item) for a query, best first. */
  rank(query: string): Promise<string[]>;
  /** The in-process retriever (baselines need it); absent against a URL. */
  readonly retriever?: Retriever;
  close(): Promise<void>;
}

/** Subjects in rank order: a hit's item, or its own id when it is about no single item; each subject once. */
export function subjects(hits: ReadonlyArray<{ itemId?: string; docId: string }>): string[] {
  const out: string[] = [];
  for (const h of hits) {
    const s = h.itemId ?? h.docId;
    if (!out.includes(s)) out.push(s);
  }
  return out;
}

export interface InProcessOptions {
  kbDir: string;
  /** Environment for loadConfig (LLM_BASE_URL etc. pass through); DATA_DIR is always a fresh temp dir. */
  env?: NodeJS.ProcessEnv;
}

export async function inProcessClient(options: InProcessOptions): Promise<EvalClient> {
  const { loadConfig } = await import('../server/config/config.ts');
  const { buildApp } = await import('../server/app.ts');
  const { buildRetriever } = await import('../server/retrieval/index.ts');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-eval-'));
  const env = { ...(options.env ?? process.env) };
  delete env.PORT;
  const config = loadConfig(env, { dataDir, kbDir: options.kbDir, logLevel: 'silent', port: 0, kbWatch: false, adminToken: undefined });
  const app = await buildApp(config);
  const kb = app.kb.current();
  // the same index the app built (cached under DATA_DIR/index), for the retrieval metrics and baselines
  const retriever = await buildRetriever(kb, { cacheDir: path.join(dataDir, 'index') });
  return {
    target: 'in-process',
    kb,
    retriever,
    async chat(request) {
      const res = await app.http.inject({ method: 'POST', url: '/api/chat', payload: request });
      if (res.statusCode !== 200) throw new Error(`POST /api/chat answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      return res.json() as ChatReply;
    },
    async rank(query) {
      return subjects(await retriever.search(query, { k: 20 }));
    },
    async close() {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function urlClient(baseUrl: string, kb: KnowledgeBase): Promise<EvalClient> {
  const base = baseUrl.replace(/\/$/, '');
  const health = await fetch(`${base}/healthz`).catch((err: unknown) => {
    throw new Error(`cannot reach ${base}: ${err instanceof Error ? err.message : String(err)}`);
  });
  if (!health.ok) throw new Error(`${base}/healthz answered ${health.status}`);
  return {
    target: base,
    kb,
    async chat(request) {
      const res = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
      const body = await res.text();
      if (!res.ok) throw new Error(`POST /api/chat answered ${res.status}: ${body.slice(0, 300)}`);
      return JSON.parse(body) as ChatReply;
    },
    async rank(query) {
      // the portal search groups results; its item and FAQ groups are in score order
      const res = await fetch(`${base}/api/search?k=20&q=${encodeURIComponent(query.slice(0, 200))}`);
      if (!res.ok) return [];
      const body = (await res.json()) as { groups?: { items?: { results?: Array<{ id: string; score: number }> }; faqs?: { results?: Array<{ id: string; itemId?: string; score: number }> } } };
      const hits = [
        ...(body.groups?.items?.results ?? []).map((r) => ({ docId: r.id, itemId: r.id, score: r.score })),
        ...(body.groups?.faqs?.results ?? []).map((r) => ({ docId: r.id, ...(r.itemId ? { itemId: r.itemId } : {}), score: r.score })),
      ].sort((a, b) => b.score - a.score);
      return subjects(hits);
    },
    async close() {},
  };
}
