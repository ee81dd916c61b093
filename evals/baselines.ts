/**
 * Retrieval baselines over the same questions: Daoban's lexical and vector legs alone, and two libraries a
 * team might pick instead — MiniSearch and LangChain's BM25Retriever — fed the same jieba tokens (BM25Retriever
 * splits on whitespace, so it gets the tokens joined by spaces: its best chance with Chinese).
 */
import MiniSearch from 'minisearch';
import { Document } from '@langchain/core/documents';
import { BM25Retriever } from '@langchain/community/retrievers/bm25';
import type { KnowledgeBase } from '../server/kb/knowledge-base.ts';
import type { Retriever } from '../server/retrieval/types.ts';
import { getSegmenter } from '../server/retrieval/index.ts';
import { subjects } from './client.ts';
import { rankOf, retrievalStats, latencyStats, type RetrievalStats } from './metrics.ts';

export interface BaselineQuery {
  q: string;
  targets: string[];
}

export interface BaselineResult extends RetrievalStats {
  name: string;
  /** Per-query latency (ms), search only. */
  latency: { p50: number; p95: number; mean: number };
  /** Index build time (ms); 0 for Daoban's legs (built with the app). */
  buildMs: number;
}

interface Doc {
  docId: string;
  itemId?: string;
  text: string;
}

/** Items, their FAQs and the general FAQs: the documents every baseline indexes. */
export function baselineDocuments(kb: KnowledgeBase): Doc[] {
  const docs: Doc[] = [];
  for (const it of kb.items) {
    docs.push({
      docId: `item:${it.id}`, itemId: it.id,
      text: [it.title, it.titleEn, ...it.aliases, ...it.aliasesEn, ...it.keywords, it.summary, it.summaryEn, ...it.conditions].filter(Boolean).join('\n'),
    });
    it.faqs.forEach((f, i) => docs.push({ docId: `item-faq:${it.id}#${i + 1}`, itemId: it.id, text: [f.q, f.qEn, f.a].filter(Boolean).join('\n') }));
  }
  for (const f of kb.faqs) {
    docs.push({ docId: `faq:${f.id}`, ...(f.items.length === 1 ? { itemId: f.items[0]! } : {}), text: [f.question, ...f.alternates, f.questionEn, f.answer].filter(Boolean).join('\n') });
  }
  return docs;
}

/** jieba search-mode tokens, lower case, without punctuation and whitespace. */
export function jiebaTokens(text: string): string[] {
  return getSegmenter()
    .cutForSearch(text.normalize('NFKC').toLowerCase())
    .map((t) => t.trim())
    .filter((t) => t && !/^[\p{P}\p{S}\s]+$/u.test(t));
}

async function measure(name: string, queries: readonly BaselineQuery[], buildMs: number, rank: (q: string) => Promise<string[]>): Promise<BaselineResult> {
  const ranks: number[] = [];
  const times: number[] = [];
  for (const { q, targets } of queries) {
    const t0 = performance.now();
    const ranked = await rank(q);
    times.push(performance.now() - t0);
    ranks.push(rankOf(ranked, targets));
  }
  const lat = latencyStats(times);
  return { name, ...retrievalStats(ranks), latency: { p50: lat.p50, p95: lat.p95, mean: lat.mean }, buildMs };
}

export async function runBaselines(kb: KnowledgeBase, retriever: Retriever | undefined, queries: readonly BaselineQuery[]): Promise<BaselineResult[]> {
  const out: BaselineResult[] = [];
  getSegmenter().addWords(kb.userDict.map((e) => e.word));
  if (retriever) {
    for (const mode of ['hybrid', 'lexical', 'vector'] as const) {
      out.push(await measure(`Daoban ${mode}`, queries, 0, async (q) => subjects(await retriever.search(q, { k: 20, mode }))));
    }
  }
  const docs = baselineDocuments(kb);

  let t0 = performance.now();
  const mini = new MiniSearch<Doc & { id: string }>({ fields: ['text'], storeFields: ['docId', 'itemId'], idField: 'id', tokenize: jiebaTokens, processTerm: (t) => t });
  mini.addAll(docs.map((d) => ({ ...d, id: d.docId })));
  const miniBuild = performance.now() - t0;
  out.push(await measure('MiniSearch (jieba)', queries, miniBuild, async (q) =>
    subjects(mini.search(q).slice(0, 20).map((r) => ({ docId: String(r.docId), ...(r.itemId ? { itemId: String(r.itemId) } : {}) }))),
  ));

  t0 = performance.now();
  const bm25 = BM25Retriever.fromDocuments(
    docs.map((d) => new Document({ pageContent: jiebaTokens(d.text).join(' '), metadata: { docId: d.docId, ...(d.itemId ? { itemId: d.itemId } : {}) } })),
    { k: 20 },
  );
  const bm25Build = performance.now() - t0;
  out.push(await measure('LangChain BM25Retriever (jieba, space-joined)', queries, bm25Build, async (q) => {
    const found = await bm25.invoke(jiebaTokens(q).join(' '));
    return subjects(found.map((d) => ({ docId: String(d.metadata.docId), ...(d.metadata.itemId ? { itemId: String(d.metadata.itemId) } : {}) })));
  }));
  return out;
}
