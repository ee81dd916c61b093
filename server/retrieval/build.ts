/**
 * Building the retriever for a knowledge base, or loading it from the on-disk cache.
 *
 * The cache lives in `<cacheDir>/<kbHash>-<embedderId>/`: a knowledge base that has not changed is
 * loaded, never rebuilt. A build is written to a temporary directory and renamed into place, so a crash
 * mid-write never leaves a half-written index where a later start would read it.
 */
import crypto from 'node:crypto';
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import { Analyzer, analyzerRulesFingerprint } from './analyzer.ts';
import { buildCorpus } from './corpus.ts';
import { buildDocuments, type DocumentMeta, type HitKindCount, type SearchDocument } from './documents.ts';
import { lsaEmbedder, openAiEmbedder, type Embedder, type EmbeddingsConfig } from './embedders.ts';
import { readAligned, readArrays, writeArrays } from './typed-files.ts';
import { DEFAULT_FUSION, type FusionParams } from './fusion.ts';
import { LexicalIndex } from './lexical.ts';
import { DEFAULT_LSA, type LsaOptions } from './lsa-embeddings.ts';
import { normalizeText } from './normalize.ts';
import { buildInChild } from './isolated-build.ts';
import { HybridRetriever, type RetrievalLogger } from './retriever.ts';
import { getSegmenter } from './segmenter.ts';
import { DEFAULT_HNSW, VectorIndex, type HnswParams } from './vector-index.ts';

/** Bumped whenever the on-disk layout or the analysis/ranking that produced it changes. */
export const INDEX_FORMAT = 4;

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
  segmenterLoadMs: number;
}

export type BuiltRetriever = HybridRetriever & { readonly stats: RetrieverStats };

interface Manifest {
  format: number;
  kbHash: string;
  embedderId: string;
  documents: number;
  lexicalTerms: number;
  postings: number;
  dimensions: number;
  builtAt: string;
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

  // A cached index is read while the segmenter loads: jieba's dictionary load is synchronous and holds the
  // main thread for about a second, but the file reads and hnswlib's readIndex run on the thread pool meanwhile.
  let loading: Promise<IndexParts | undefined> | undefined;
  if (indexDir) {
    loading = startLoad(indexDir, kb.hash, embedder, hnsw.efSearch);
    loading.catch(() => {}); // awaited below; this only keeps a rejection during the segmenter load from counting as unhandled
  }
  analyzerOf();

  const phases: Record<string, number> = {};
  let parts: IndexParts | undefined;
  let loadedFromCache = false;
  let builtInChild = false;
  if (indexDir && loading) {
    try {
      parts = await loading;
      loadedFromCache = parts !== undefined;
    } catch (err) {
      options.logger?.warn({ err, indexDir }, 'search index cache is unreadable; rebuilding it');
    }
  }
  if (!parts && indexDir && options.cacheDir && !options.embeddings && shouldIsolate(kb, options.isolateBuild)) {
    try {
      Object.assign(phases, await buildInChild(kb, { cacheDir: options.cacheDir, indexDir, lsa, hnsw }));
      const t = performance.now();
      parts = await startLoad(indexDir, kb.hash, embedder, hnsw.efSearch);
      phases.load = performance.now() - t;
      builtInChild = parts !== undefined;
    } catch (err) {
      options.logger?.warn({ err, indexDir }, 'building the search index in a child process failed; building it in process');
    }
  }
  if (!parts) {
    parts = await buildParts(buildDocuments(kb), analyzerOf(), embedder, hnsw, phases);
    const t = performance.now();
    if (indexDir && options.cacheDir) await saveParts(options.cacheDir, indexDir, kb.hash, embedder, parts);
    phases.save = performance.now() - t;
  }
  const retriever = new HybridRetriever(kb.hash, analyzerOf(), parts.documents, parts.lexical, parts.vectors, parts.embeddings, fusion, options.logger);
  const stats: RetrieverStats = {
    documents: parts.documents.length,
    byKind: countKinds(parts.documents),
    lexicalTerms: parts.lexical.termCount,
    postings: parts.lexical.arrays.docs.length,
    embedder: embedder.id,
    dimensions: parts.dimensions,
    ef: parts.vectors.ef,
    loadedFromCache,
    ...(indexDir ? { indexDir } : {}),
    ms: performance.now() - t0,
    phases,
    builtInChild,
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

export interface IndexParts {
  documents: DocumentMeta[];
  lexical: LexicalIndex;
  vectors: VectorIndex;
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
    const manifest: Manifest = {
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
 * Starts reading a cached index: every file read and the HNSW graph read are issued before this returns,
 * so they proceed while the caller's main thread is busy. Undefined when there is no usable cache entry.
 */
function startLoad(indexDir: string, kbHash: string, embedder: Embedder, efSearch: number): Promise<IndexParts | undefined> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fsSync.readFileSync(path.join(indexDir, 'manifest.json'), 'utf8')) as Manifest;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Promise.resolve(undefined);
    return Promise.reject(err);
  }
  if (manifest.format !== INDEX_FORMAT || manifest.kbHash !== kbHash || manifest.embedderId !== embedder.id) return Promise.resolve(undefined);
  const docIds: string[] = [];
  const embeddings = embedder.load(indexDir);
  const reads = Promise.all([
    fs.readFile(path.join(indexDir, 'documents.json'), 'utf8'),
    fs.readFile(path.join(indexDir, 'lexical-terms.json'), 'utf8'),
    readAligned(path.join(indexDir, 'lexical.bin')),
    embeddings,
    VectorIndex.load(path.join(indexDir, 'hnsw'), manifest.dimensions, docIds, embeddings, efSearch),
  ]);
  return reads.then(([documentsJson, termsJson, lexicalBin, embeddings, vectors]) => {
    const documents = JSON.parse(documentsJson) as DocumentMeta[];
    const terms = JSON.parse(termsJson) as string[];
    const t = manifest.lexicalTerms;
    const p = manifest.postings;
    if (terms.length !== t || documents.length !== manifest.documents) throw new Error('index files disagree with the manifest');
    const [offsets, docs, impacts, maxImpact] = readArrays(lexicalBin, [
      ['u32', t + 1],
      ['u32', p],
      ['f32', p],
      ['f32', t],
    ]) as [Uint32Array, Uint32Array, Float32Array, Float32Array];
    const lexical = new LexicalIndex({ terms, offsets, docs, impacts, maxImpact, docCount: documents.length });
    if (vectors.size !== documents.length) throw new Error('vector index size disagrees with the manifest');
    for (const d of documents) docIds.push(d.docId);
    return { documents, lexical, vectors, embeddings, dimensions: manifest.dimensions };
  });
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

function countKinds(documents: readonly DocumentMeta[]): HitKindCount {
  const counts: HitKindCount = { item: 0, 'item-faq': 0, faq: 0, policy: 0 };
  for (const d of documents) counts[d.kind]++;
  return counts;
}
