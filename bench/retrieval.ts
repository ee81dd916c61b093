/**
 * Retrieval benchmark: on the sample knowledge base and on a large synthetic one (`kb:synth`), prints
 * cold index build time, warm load time, in-process query latency p50/p99 per mode, HNSW recall against
 * exact search, RSS, and quality (hit@1, hit@5, MRR) per mode on the labelled dev queries.
 * Targets (15k items): hybrid p50 ≤ 2 ms, p99 ≤ 10 ms; cold build ≤ 60 s; warm start ≤ 3 s; RSS ≤ 600 MB.
 * Printed, never asserted.
 *
 *   npx tsx bench/retrieval.ts [--items 15000] [--kb knowledge-base]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../server/config/config.ts';
import { formatIssues, loadKnowledgeBase, type KnowledgeBase } from '../server/kb/index.ts';
import { synthesizeKnowledgeBase } from '../server/kb/synth.ts';
import { evaluateRetrieval, readLabelledQueries } from '../server/retrieval/evaluate.ts';
import { buildRetriever, type BuiltRetriever } from '../server/retrieval/index.ts';

type Figures = Record<string, number | string>;
const MODES = ['lexical', 'vector', 'hybrid'] as const;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function load(root: string): Promise<KnowledgeBase> {
  const { kb, issues } = await loadKnowledgeBase(root);
  if (!kb) throw new Error(`knowledge base at ${root} does not load:\n${formatIssues(issues.filter((i) => i.severity === 'error'))}`);
  return kb;
}

async function latency(retriever: BuiltRetriever, queries: readonly string[], rounds: number): Promise<Figures> {
  const figures: Figures = {};
  for (const mode of MODES) {
    for (const q of queries.slice(0, 20)) await retriever.search(q, { mode }); // warm-up
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const q of queries) {
        const t0 = performance.now();
        await retriever.search(q, { mode, k: 10 });
        times.push(performance.now() - t0);
      }
    }
    times.sort((a, b) => a - b);
    figures[`${mode} query p50 (ms)`] = percentile(times, 50);
    figures[`${mode} query p99 (ms)`] = percentile(times, 99);
  }
  return figures;
}

/** HNSW recall@10 at the configured ef, against exact cosine search over every stored vector. */
async function hnswRecall(retriever: BuiltRetriever, queries: readonly string[]): Promise<number> {
  const index = retriever.vectors.store.index;
  const n = index.getCurrentCount();
  const points = Array.from({ length: n }, (_, i) => index.getPoint(i));
  let found = 0;
  let total = 0;
  for (const q of queries) {
    const v = await retriever.embeddings.embedQuery(retriever.analyze(q).normalized);
    if (v.every((x) => x === 0)) continue;
    const exact = points
      .map((p, i) => ({ i, s: p.reduce((acc, x, j) => acc + x * v[j]!, 0) }))
      .sort((a, b) => b.s - a.s)
      .slice(0, 10)
      .map((e) => e.i);
    const approx = new Set((await retriever.vectors.search(v, 10)).map((m) => m.doc));
    found += exact.filter((i) => approx.has(i)).length;
    total += exact.length;
  }
  return total ? found / total : 0;
}

async function measure(label: string, kb: KnowledgeBase, queries: readonly string[], rounds: number): Promise<Figures> {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-bench-retrieval-'));
  try {
    global.gc?.();
    const cold = await buildRetriever(kb, { cacheDir });
    const figures: Figures = {
      [`${label}: items / documents`]: `${kb.items.length} / ${cold.stats.documents}`,
      [`${label}: lexical terms / postings`]: `${cold.stats.lexicalTerms} / ${cold.stats.postings}`,
      [`${label}: cold index build (s)`]: cold.stats.ms / 1000,
      [`${label}: RSS after cold build (MB)`]: mb(process.memoryUsage().rss),
    };
    const warm = await buildRetriever(kb, { cacheDir });
    if (!warm.stats.loadedFromCache) throw new Error('warm build did not load from the cache');
    figures[`${label}: warm load, in process (s)`] = warm.stats.ms / 1000;
    figures[`${label}: warm start incl. jieba load (s)`] = (warm.stats.ms + warm.stats.segmenterLoadMs) / 1000;
    for (const [k, v] of Object.entries(await latency(warm, queries, rounds))) figures[`${label}: ${k}`] = v;
    figures[`${label}: HNSW recall@10 at ef=${warm.stats.ef}`] = await hnswRecall(warm, queries.slice(0, 150));
    global.gc?.();
    figures[`${label}: RSS, two indexes loaded (MB)`] = mb(process.memoryUsage().rss);
    return figures;
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

export async function run(options: { items: number; kb?: string }): Promise<Figures> {
  const kbRoot = path.resolve(options.kb ?? path.join(PROJECT_ROOT, 'knowledge-base'));
  const figures: Figures = {};
  const devQueries = readLabelledQueries(path.join(PROJECT_ROOT, 'server/retrieval/fixtures/dev-queries.yaml'));
  const queryTexts = devQueries.map((q) => q.q);

  const sample = await load(kbRoot);
  const t0 = performance.now();
  const quality = await buildRetriever(sample);
  figures['jieba dictionary load (s)'] = quality.stats.segmenterLoadMs / 1000;
  figures['sample: build without cache, incl. jieba (s)'] = (performance.now() - t0) / 1000;
  for (const mode of MODES) {
    const r = await evaluateRetrieval(quality, devQueries, mode);
    figures[`sample dev set (${r.queries} q) ${mode} hit@1 / hit@5 / MRR`] = `${r.hitAt1.toFixed(3)} / ${r.hitAt5.toFixed(3)} / ${r.mrr.toFixed(3)}`;
  }
  Object.assign(figures, await measure('sample', sample, queryTexts, 20));

  const synthDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-bench-synth-'));
  try {
    const t1 = performance.now();
    await synthesizeKnowledgeBase({ from: kbRoot, out: synthDir, items: options.items, seed: 1 });
    const big = await load(synthDir);
    figures[`synth ${options.items}: generate + load KB (s)`] = (performance.now() - t1) / 1000;
    // Queries: the dev queries plus item titles and aliases of the synthetic KB.
    const extra = big.items.filter((_, i) => i % Math.max(1, Math.floor(big.items.length / 200)) === 0).map((it) => it.aliases[0] ?? it.title);
    Object.assign(figures, await measure(`synth ${options.items}`, big, [...queryTexts, ...extra], 3));
  } finally {
    fs.rmSync(synthDir, { recursive: true, force: true });
  }
  figures['targets (15k)'] = 'hybrid p50 ≤ 2 ms, p99 ≤ 10 ms; cold build ≤ 60 s; warm start ≤ 3 s; RSS ≤ 600 MB';
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { items: { type: 'string', default: '15000' }, kb: { type: 'string' } } });
  const figures = await run({ items: Number(values.items), ...(values.kb ? { kb: values.kb } : {}) });
  for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(56)} ${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(3)) : v}`);
}
