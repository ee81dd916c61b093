/**
 * Retrieval benchmark: on the sample knowledge base and on a large synthetic one (`kb:synth`), prints
 * cold index build time, warm start, query latency p50/p99 per mode, HNSW recall against exact search,
 * RSS, and quality (hit@1, hit@5, MRR) per mode on the labelled dev queries.
 * Targets (15k items): hybrid p50 ≤ 2 ms, p99 ≤ 10 ms; cold build ≤ 60 s; warm start ≤ 3 s; RSS ≤ 600 MB.
 * Printed, never asserted.
 *
 * Warm start, latency and RSS are measured in a fresh process that does what the service does (load the
 * knowledge base, load the cached index with the segmenter, answer queries), so neither the bench's own
 * data nor the cold build's garbage is counted. Latency is printed as wall time and as process CPU time
 * per query: on a shared machine the wall-time tail mostly measures other people's processes.
 *
 *   npx tsx bench/retrieval.ts [--items 15000] [--kb knowledge-base]
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { PROJECT_ROOT } from '../server/config/config.ts';
import { formatIssues, loadKnowledgeBase, type KnowledgeBase } from '../server/kb/index.ts';
import { synthesizeKnowledgeBase } from '../server/kb/synth.ts';
import { evaluateRetrieval, readLabelledQueries } from '../server/retrieval/evaluate.ts';
import { buildRetriever, type BuiltRetriever } from '../server/retrieval/index.ts';

type Figures = Record<string, number | string>;
const MODES = ['lexical', 'vector', 'hybrid'] as const;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1e6;
}

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
    const cpu: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const q of queries) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await retriever.search(q, { mode, k: 10 });
        times.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000);
      }
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    figures[`${mode} query p50 (ms)`] = percentile(times, 50);
    figures[`${mode} query p99 (ms)`] = percentile(times, 99);
    figures[`${mode} query p99, CPU time (ms)`] = percentile(cpu, 99);
  }
  return figures;
}

/** HNSW recall@10 at the configured ef, against exact cosine search over every stored vector. */
async function hnswRecall(retriever: BuiltRetriever, queries: readonly string[]): Promise<number> {
  const index = retriever.index!.vectors.store.index;
  const n = index.getCurrentCount();
  const points = Array.from({ length: n }, (_, i) => index.getPoint(i));
  let found = 0;
  let total = 0;
  for (const q of queries) {
    const v = await retriever.embeddings!.embedQuery(retriever.analyze(q).normalized);
    if (v.every((x) => x === 0)) continue;
    const exact = points
      .map((p, i) => ({ i, s: p.reduce((acc, x, j) => acc + x * v[j]!, 0) }))
      .sort((a, b) => b.s - a.s)
      .slice(0, 10)
      .map((e) => e.i);
    const approx = new Set((await retriever.index!.vectors.search(v, 10)).map((m) => m.doc));
    found += exact.filter((i) => approx.has(i)).length;
    total += exact.length;
  }
  return total ? found / total : 0;
}

/** The figures of a fresh service-like process over a built cache (see `probe`). */
async function serviceFigures(kbRoot: string, cacheDir: string, rounds: number, extraQueries: number): Promise<Figures> {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', tsx, '--expose-gc', fileURLToPath(import.meta.url), '--probe', kbRoot, '--cache', cacheDir, '--rounds', String(rounds), '--extra', String(extraQueries)],
    { maxBuffer: 1 << 24 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Figures;
}

/** The child side: what a starting service does, timed; one JSON line of figures on stdout. */
async function probe(kbRoot: string, cacheDir: string, rounds: number, extraQueries: number): Promise<void> {
  const figures: Figures = {};
  const residentMb = () => {
    global.gc?.();
    return mb(process.memoryUsage().rss);
  };
  figures['RSS after module import (MB)'] = residentMb();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const kb = await load(kbRoot);
  figures['KB load (s, not part of warm start)'] = (performance.now() - t0) / 1000;
  figures['KB load, CPU time (s)'] = cpuSeconds(c0);
  figures['RSS after KB load (MB)'] = residentMb();
  const t1 = performance.now();
  const retriever = await buildRetriever(kb, { cacheDir });
  figures['RSS after jieba + index load (MB)'] = residentMb();
  if (!retriever.stats.loadedFromCache) throw new Error('the probe did not load the index from the cache');
  figures['warm start: jieba + index load, fresh process (s)'] = (performance.now() - t1) / 1000;
  figures['  of which jieba dictionary load (s)'] = retriever.stats.segmenterLoadMs / 1000;
  figures['process start to ready, incl. module import and KB load (s)'] = performance.now() / 1000;
  const devQueries = readLabelledQueries(path.join(PROJECT_ROOT, 'server/retrieval/fixtures/dev-queries.yaml')).map((q) => q.q);
  const step = Math.max(1, Math.floor(kb.items.length / Math.max(extraQueries, 1)));
  const extra = extraQueries ? kb.items.filter((_, i) => i % step === 0).map((it) => it.aliases[0] ?? it.title) : [];
  Object.assign(figures, await latency(retriever, [...devQueries, ...extra], rounds));
  global.gc?.();
  const m = process.memoryUsage();
  figures['service RSS: KB + jieba + index, after queries (MB)'] = mb(m.rss);
  figures['  JS heap used / committed (MB)'] = `${mb(m.heapUsed)} / ${mb(m.heapTotal)}`;
  figures['  typed arrays outside the heap (MB)'] = mb(m.arrayBuffers);
  figures['  peak RSS (MB)'] = mb(process.resourceUsage().maxRSS * 1024);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

async function measure(label: string, kbRoot: string, kb: KnowledgeBase, queries: readonly string[], rounds: number, extraQueries: number): Promise<Figures> {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-bench-retrieval-'));
  try {
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    // ranked in this thread: the recall below reads the vector graph itself
    const cold = await buildRetriever(kb, { cacheDir, searchThread: false });
    global.gc?.();
    const figures: Figures = {
      [`${label}: items / documents`]: `${kb.items.length} / ${cold.stats.documents}`,
      [`${label}: lexical terms / postings`]: `${cold.stats.lexicalTerms} / ${cold.stats.postings}`,
      [`${label}: cold index build (s)`]: cold.stats.ms / 1000,
      [`${label}: cold build phases (s)`]: Object.entries(cold.stats.phases).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(', '),
      [`${label}: built in a child process`]: String(cold.stats.builtInChild),
      [`${label}: RSS growth of the building process (MB)`]: mb(process.memoryUsage().rss - rss0),
    };
    figures[`${label}: HNSW recall@10 at ef=${cold.stats.ef}`] = await hnswRecall(cold, queries.slice(0, 150));
    for (const [k, v] of Object.entries(await serviceFigures(kbRoot, cacheDir, rounds, extraQueries))) figures[`${label}: ${k}`] = v;
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
  Object.assign(figures, await measure('sample', kbRoot, sample, queryTexts, 20, 0));

  const synthDir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-bench-synth-'));
  try {
    const t1 = performance.now();
    await synthesizeKnowledgeBase({ from: kbRoot, out: synthDir, items: options.items, seed: 1 });
    const big = await load(synthDir);
    figures[`synth ${options.items}: generate + load KB (s)`] = (performance.now() - t1) / 1000;
    // Queries: the dev queries plus item titles and aliases of the synthetic KB.
    const extra = big.items.filter((_, i) => i % Math.max(1, Math.floor(big.items.length / 200)) === 0).map((it) => it.aliases[0] ?? it.title);
    Object.assign(figures, await measure(`synth ${options.items}`, synthDir, big, [...queryTexts, ...extra], 3, extra.length));
  } finally {
    fs.rmSync(synthDir, { recursive: true, force: true });
  }
  figures['targets (15k)'] = 'hybrid p50 ≤ 2 ms, p99 ≤ 10 ms; cold build ≤ 60 s; warm start ≤ 3 s; RSS ≤ 600 MB';
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      items: { type: 'string', default: '15000' },
      kb: { type: 'string' },
      probe: { type: 'string' },
      cache: { type: 'string' },
      rounds: { type: 'string', default: '3' },
      extra: { type: 'string', default: '0' },
    },
  });
  if (values.probe) {
    await probe(values.probe, values.cache!, Number(values.rounds), Number(values.extra));
    process.exit(0);
  }
  const figures = await run({ items: Number(values.items), ...(values.kb ? { kb: values.kb } : {}) });
  for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(56)} ${typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(3)) : v}`);
}
