/**
 * Building the retriever for a knowledge base, or loading it from the on-disk cache.
 *
 * The cache lives in `<cacheDir>/<kbHash>-<embedderId>/`: a knowledge base that has not changed is
 * loaded, never rebuilt. A build is written to a temporary directory and renamed into place, so a crash
 * mid-write never leaves a half-written index where a later start would read it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import { Analyzer, analyzerRulesFingerprint } from './analyzer.ts';
import { buildCorpus } from './corpus.ts';
import { buildDocuments, documentFacts, type DocumentMeta, type HitKindCount, type SearchDocument } from './documents.ts';
import { lsaEmbedder, openAiEmbedder, type Embedder, type EmbeddingsConfig } from './embedders.ts';
import { writeArrays } from './typed-files.ts';
import { DEFAULT_FUSION, type FusionParams } from './fusion.ts';
import { INDEX_FORMAT, loadDocuments, loadIndexFiles, readManifest, type IndexFiles, type IndexManifest, type RankingFiles } from './index-files.ts';
import { LexicalIndex } from './lexical.ts';
import { DEFAULT_LSA, LsaEmbeddings, type LsaOptions } from './lsa-embeddings.ts';
import { normalizeText } from './normalize.ts';
import { buildInChild } from './isolated-build.ts';
import { IndexRanker, type Ranker } from './ranking.ts';
import { HybridRetriever, type RetrievalLogger } from './retriever.ts';
import { SearchThread } from './search-thread.ts';
import { getSegmenter } from './segmenter.ts';
import { DEFAULT_HNSW, VectorIndex, type HnswParams } from './vector-index.ts';

export interface BuildRetrieverOptions {
  /** Directory for index caches, normally `<dataDir>/index`; without it, nothing is persisted. */
  cacheDir?: string;
  /** OpenAI-compatible embeddings; without it, the offline LSA embedder learned from the knowledge base. */
  embeddings?: EmbeddingsConfig;
  logger?: RetrievalLogger;
  /** Tuning (defaults are the measured best on the dev set). */
  lsa?: Partial<LsaOptions>;
  hnsw?: Partial<HnswParams>;
  fusion?: Partial<FusionParams>;
  /**
   * Build in a child process, which writes the index to the cache for this process to load, so the serving
   * process never holds the build's intermediate arrays (hundreds of MB at 15k items, resident long after they
   * are garbage). Default: for collections of at least 5,000 documents, when there is a cache directory and the
   * offline embedder; a child costs a second segmenter load (~1 s), which small collections do not repay.
   */
  isolateBuild?: boolean;
  /**
   * Rank in a search thread of its own (search-thread.ts), which loads the index from the cache directory
   * (needs `cacheDir`): the ranking then runs beside the caller's thread instead of on it. Measured on the 15k
   * synthetic knowledge base, two cores shared with the load generator: the main thread's share of an answer
   * 1.34–1.56 → 0.94–1.10 ms, answers/s 603–705 → 787–857, resident memory +35–40 MB. Default false here; the
   * service turns it on (SEARCH_THREAD).
   */
  searchThread?: boolean;
}

/** Below this many documents, building in process is cheaper than starting a child. */
export const ISOLATE_MIN_DOCUMENTS = 5000;

export interface RetrieverStats {
  documents: number;
  byKind: HitKindCount;
  lexicalTerms: number;
  postings: number;
  embedder: string;
  dimensions: number;
  ef: number;
  loadedFromCache: boolean;
  /** Index directory used (undefined when not persisted). */
  indexDir?: string;
  /** Milliseconds to build or load, and the part spent loading the segmenter. */
  ms: number;
  /** Milliseconds per build phase (empty when loaded from the cache). */
  phases: Record<string, number>;
  /** Whether the index was built in a child process. */
  builtInChild: boolean;
  /** Whether queries are ranked in a search thread. */
  searchThread: boolean;
  segmenterLoadMs: number;
}

export type BuiltRetriever = HybridRetriever & { readonly stats: RetrieverStats };

/**
 * What a loaded or built index gives the retriever: the query embedder, the documents and, unless a search
 * thread will load them, the lexical index and the vector graph.
 */
interface Loaded {
  /** Undefined when a search thread holds the offline model and embeds the queries itself. */
  embeddings: EmbeddingsInterface | undefined;
  dimensions: number;
  documents: DocumentMeta[];
  ranking?: RankingFiles;
}

export async function buildRetriever(kb: KnowledgeBase, options: BuildRetrieverOptions = {}): Promise<BuiltRetriever> {
  const t0 = performance.now();
  const segmenter = getSegmenter();
  let analyzer: Analyzer | undefined;
  const analyzerOf = () => (analyzer ??= Analyzer.fromKnowledgeBase(kb, segmenter));
  const lsa = { ...DEFAULT_LSA, ...options.lsa };
  const hnsw = { ...DEFAULT_HNSW, ...options.hnsw };
  const fusion = { ...DEFAULT_FUSION, ...options.fusion };
  const embedder = options.embeddings ? openAiEmbedder(options.embeddings) : lsaEmbedder(analyzerOf, lsa);
  const dirName = `${kb.hash.slice(0, 16)}-${embedder.id}-a${analyzerRulesFingerprint()}-f${INDEX_FORMAT}`;
  const indexDir = options.cacheDir ? path.join(options.cacheDir, dirName) : undefined;
  const inThread = indexDir !== undefined && options.searchThread === true;
  // The offline model embeds queries where the indexes are: in a search thread, it is loaded there only.
  const offline = !options.embeddings;

  // A cached index is read while the segmenter loads: jieba's dictionary load is synchronous and holds the
  // main thread for about a second, but the file reads and hnswlib's readIndex run on the thread pool meanwhile.
  let loading: Promise<Loaded | undefined> | undefined;
  if (indexDir) {
    loading = startLoad(indexDir, kb.hash, embedder, hnsw.efSearch, !inThread, !(inThread && offline));
    loading.catch(() => {}); // awaited below; this only keeps a rejection during the segmenter load from counting as unhandled
  }
  analyzerOf();

  const phases: Record<string, number> = {};
  let loaded: Loaded | undefined;
  let loadedFromCache = false;
  let builtInChild = false;
  if (indexDir && loading) {
    try {
      loaded = await loading;
      loadedFromCache = loaded !== undefined;
    } catch (err) {
      options.logger?.warn({ err, indexDir }, 'search index cache is unreadable; rebuilding it');
    }
  }
  if (!loaded && indexDir && options.cacheDir && !options.embeddings && shouldIsolate(kb, options.isolateBuild)) {
    try {
      Object.assign(phases, await buildInChild(kb, { cacheDir: options.cacheDir, indexDir, lsa, hnsw }));
      const t = performance.now();
      loaded = await startLoad(indexDir, kb.hash, embedder, hnsw.efSearch, !inThread, !(inThread && offline));
      phases.load = performance.now() - t;
      builtInChild = loaded !== undefined;
    } catch (err) {
      options.logger?.warn({ err, indexDir }, 'building the search index in a child process failed; building it in process');
    }
  }
  // With a search thread, the index files are loaded there only; one that cannot load them gets the index
  // built here, as an unreadable cache would.
  let thread: SearchThread | undefined;
  if (loaded && !loaded.ranking && indexDir) {
    try {
      thread = await SearchThread.start({ indexDir, efSearch: hnsw.efSearch, fusion, facts: documentFacts(loaded.documents), embedsQueries: offline }, options.logger);
    } catch (err) {
      options.logger?.warn({ err, indexDir }, 'the search thread could not load the index; building it in this thread');
      loaded = undefined;
      loadedFromCache = builtInChild = false;
    }
  }
  if (!loaded) {
    const parts = await buildParts(buildDocuments(kb), analyzerOf(), embedder, hnsw, phases);
    const t = performance.now();
    if (indexDir && options.cacheDir) await saveParts(options.cacheDir, indexDir, kb.hash, embedder, parts);
    phases.save = performance.now() - t;
    loaded = { embeddings: parts.embeddings, dimensions: parts.dimensions, documents: parts.documents, ranking: parts };
  }
  const ranker: Ranker = thread ?? new IndexRanker(
    documentFacts(loaded.documents), loaded.ranking!.lexical, loaded.ranking!.vectors, fusion, options.logger,
    loaded.embeddings instanceof LsaEmbeddings ? loaded.embeddings : undefined,
  );
  const retriever = new HybridRetriever(kb.hash, analyzerOf(), loaded.embeddings, loaded.documents, ranker, options.logger);
  const { documents, byKind, lexicalTerms, postings, ef } = ranker.summary();
  const stats: RetrieverStats = {
    documents,
    byKind,
    lexicalTerms,
    postings,
    embedder: embedder.id,
    dimensions: loaded.dimensions,
    ef,
    loadedFromCache,
    ...(indexDir ? { indexDir } : {}),
    ms: performance.now() - t0,
    phases,
    builtInChild,
    searchThread: thread !== undefined,
    segmenterLoadMs: segmenter.loadMs,
  };
  options.logger?.info({ ...stats }, loadedFromCache ? 'search index loaded from cache' : 'search index built');
  return Object.assign(retriever, { stats });
}

function shouldIsolate(kb: KnowledgeBase, isolate: boolean | undefined): boolean {
  if (isolate !== undefined) return isolate;
  let documents = kb.faqs.length + kb.policies.length;
  for (const item of kb.items) documents += 1 + item.faqs.length;
  return documents >= ISOLATE_MIN_DOCUMENTS;
}

export interface IndexParts extends IndexFiles {
  embeddings: Awaited<ReturnType<Embedder['load']>>;
  dimensions: number;
}

export async function buildParts(
  docs: SearchDocument[],
  analyzer: Analyzer,
  embedder: Embedder,
  hnsw: HnswParams,
  phases: Record<string, number>,
): Promise<IndexParts> {
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    phases[name] = now - t;
    t = now;
  };
  // The corpus asks for a field's terms and then its bigrams: the text is normalised once for both.
  let lastText: string | undefined;
  let lastNormalized = '';
  const normalize = (text: string) => {
    if (text !== lastText) {
      lastText = text;
      lastNormalized = normalizeText(text, { traditional: false });
    }
    return lastNormalized;
  };
  const corpus = buildCorpus(docs, (text) => analyzer.termsForNormalized(normalize(text)), normalize);
  lap('analyze');
  const lexical = LexicalIndex.build(corpus);
  lap('lexical');
  const { embeddings, vectors } = await embedder.build(corpus, docs);
  lap('embed');
  const vectorIndex = await VectorIndex.build(vectors, docs.map((d) => d.docId), embeddings, hnsw);
  lap('hnsw');
  const documents = docs.map(({ fields: _fields, ...meta }) => meta);
  return { documents, lexical, vectors: vectorIndex, embeddings, dimensions: vectors.dims };
}

export async function saveParts(cacheDir: string, indexDir: string, kbHash: string, embedder: Embedder, parts: IndexParts): Promise<void> {
  await fs.mkdir(cacheDir, { recursive: true });
  const tmp = path.join(cacheDir, `.tmp-${path.basename(indexDir)}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  try {
    await fs.mkdir(tmp);
    const { terms, offsets, docs, impacts, maxImpact } = parts.lexical.arrays;
    await fs.writeFile(path.join(tmp, 'documents.json'), JSON.stringify(parts.documents));
    await fs.writeFile(path.join(tmp, 'lexical-terms.json'), JSON.stringify(terms));
    await writeArrays(path.join(tmp, 'lexical.bin'), [offsets, docs, impacts, maxImpact]);
    await embedder.save(parts.embeddings, tmp);
    await parts.vectors.save(path.join(tmp, 'hnsw'));
    const manifest: IndexManifest = {
      format: INDEX_FORMAT,
      kbHash,
      embedderId: embedder.id,
      documents: parts.documents.length,
      lexicalTerms: terms.length,
      postings: docs.length,
      dimensions: parts.dimensions,
      builtAt: new Date().toISOString(),
    };
    // The manifest is written last: a directory without one is never trusted.
    await fs.writeFile(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));
    await fs.rm(indexDir, { recursive: true, force: true });
    await fs.rename(tmp, indexDir);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    // Another process may have renamed the same index into place first; that copy is as good as ours.
    if (!(await exists(path.join(indexDir, 'manifest.json')))) throw err;
  }
}

/**
 * Starts reading a cached index: the documents, with `withEmbeddings` the query embedder and, with `withRanking`,
 * the lexical index and the vector graph. Every read is issued before this returns, so they proceed while the
 * caller's thread is busy. Undefined when there is no usable cache entry.
 */
function startLoad(indexDir: string, kbHash: string, embedder: Embedder, efSearch: number, withRanking: boolean, withEmbeddings: boolean): Promise<Loaded | undefined> {
  let manifest: IndexManifest | undefined;
  try {
    manifest = readManifest(indexDir);
  } catch (err) {
    return Promise.reject(err);
  }
  if (!manifest || manifest.format !== INDEX_FORMAT || manifest.kbHash !== kbHash || manifest.embedderId !== embedder.id) return Promise.resolve(undefined);
  const embeddings = withEmbeddings ? embedder.load(indexDir) : undefined;
  const files: Promise<Pick<Loaded, 'documents' | 'ranking'>> = withRanking
    ? loadIndexFiles(indexDir, manifest, efSearch, embeddings).then(({ documents, ...ranking }) => ({ documents, ranking }))
    : loadDocuments(indexDir, manifest).then((documents) => ({ documents }));
  const dimensions = manifest.dimensions;
  return Promise.all([embeddings, files]).then(([e, f]) => ({ embeddings: e, dimensions, ...f }));
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
