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
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import { Analyzer } from './analyzer.ts';
import { buildCorpus } from './corpus.ts';
import { buildDocuments, type DocumentMeta, type HitKindCount } from './documents.ts';
import { lsaEmbedder, openAiEmbedder, readArrays, writeArrays, type Embedder, type EmbeddingsConfig } from './embedders.ts';
import { DEFAULT_FUSION, type FusionParams } from './fusion.ts';
import { LexicalIndex } from './lexical.ts';
import { DEFAULT_LSA, type LsaOptions } from './lsa-embeddings.ts';
import { normalizeText } from './normalize.ts';
import { HybridRetriever, type RetrievalLogger } from './retriever.ts';
import { getSegmenter } from './segmenter.ts';
import { DEFAULT_HNSW, VectorIndex, type HnswParams } from './vector-index.ts';

/** Bumped whenever the on-disk layout or the analysis/ranking that produced it changes. */
export const INDEX_FORMAT = 1;

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
}

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
  const analyzer = Analyzer.fromKnowledgeBase(kb, segmenter);
  const lsa = { ...DEFAULT_LSA, ...options.lsa };
  const hnsw = { ...DEFAULT_HNSW, ...options.hnsw };
  const fusion = { ...DEFAULT_FUSION, ...options.fusion };
  const embedder = options.embeddings ? openAiEmbedder(options.embeddings) : lsaEmbedder(analyzer, lsa);
  const dirName = `${kb.hash.slice(0, 16)}-${embedder.id}-f${INDEX_FORMAT}`;
  const indexDir = options.cacheDir ? path.join(options.cacheDir, dirName) : undefined;

  const phases: Record<string, number> = {};
  let parts: IndexParts | undefined;
  let loadedFromCache = false;
  if (indexDir) {
    try {
      parts = await loadParts(indexDir, kb.hash, embedder, hnsw.efSearch);
      loadedFromCache = parts !== undefined;
    } catch (err) {
      options.logger?.warn({ err, indexDir }, 'search index cache is unreadable; rebuilding it');
    }
  }
  if (!parts) {
    parts = await buildParts(kb, analyzer, embedder, hnsw, phases);
    const t = performance.now();
    if (indexDir && options.cacheDir) await saveParts(options.cacheDir, indexDir, kb.hash, embedder, parts);
    phases.save = performance.now() - t;
  }
  const retriever = new HybridRetriever(kb.hash, analyzer, parts.documents, parts.lexical, parts.vectors, parts.embeddings, fusion, options.logger);
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
    segmenterLoadMs: segmenter.loadMs,
  };
  options.logger?.info({ ...stats }, loadedFromCache ? 'search index loaded from cache' : 'search index built');
  return Object.assign(retriever, { stats });
}

interface IndexParts {
  documents: DocumentMeta[];
  lexical: LexicalIndex;
  vectors: VectorIndex;
  embeddings: Awaited<ReturnType<Embedder['load']>>;
  dimensions: number;
}

async function buildParts(
  kb: KnowledgeBase,
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
  const docs = buildDocuments(kb);
  const corpus = buildCorpus(docs, (text) => analyzer.termsForIndex(text), (text) => normalizeText(text, { traditional: false }));
  lap('analyze');
  const lexical = LexicalIndex.build(corpus);
  lap('lexical');
  const { embeddings, vectors } = await embedder.build(corpus, docs);
  lap('embed');
  const vectorIndex = await VectorIndex.build(vectors, docs.map((d) => d.docId), embeddings, hnsw);
  lap('hnsw');
  const documents = docs.map(({ fields: _fields, ...meta }) => meta);
  return { documents, lexical, vectors: vectorIndex, embeddings, dimensions: vectors[0]?.length ?? 0 };
}

async function saveParts(cacheDir: string, indexDir: string, kbHash: string, embedder: Embedder, parts: IndexParts): Promise<void> {
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

async function loadParts(indexDir: string, kbHash: string, embedder: Embedder, efSearch: number): Promise<IndexParts | undefined> {
  if (!(await exists(path.join(indexDir, 'manifest.json')))) return undefined;
  const manifest = JSON.parse(await fs.readFile(path.join(indexDir, 'manifest.json'), 'utf8')) as Manifest;
  if (manifest.format !== INDEX_FORMAT || manifest.kbHash !== kbHash || manifest.embedderId !== embedder.id) return undefined;
  const documents = JSON.parse(await fs.readFile(path.join(indexDir, 'documents.json'), 'utf8')) as DocumentMeta[];
  const terms = JSON.parse(await fs.readFile(path.join(indexDir, 'lexical-terms.json'), 'utf8')) as string[];
  const t = manifest.lexicalTerms;
  const p = manifest.postings;
  if (terms.length !== t || documents.length !== manifest.documents) throw new Error('index files disagree with the manifest');
  const [offsets, docs, impacts, maxImpact] = readArrays(await fs.readFile(path.join(indexDir, 'lexical.bin')), [
    ['u32', t + 1],
    ['u32', p],
    ['f32', p],
    ['f32', t],
  ]) as [Uint32Array, Uint32Array, Float32Array, Float32Array];
  const lexical = new LexicalIndex({ terms, offsets, docs, impacts, maxImpact, docCount: documents.length });
  const embeddings = await embedder.load(indexDir);
  const vectors = await VectorIndex.load(path.join(indexDir, 'hnsw'), embeddings, efSearch);
  if (vectors.size !== documents.length) throw new Error('vector index size disagrees with the manifest');
  return { documents, lexical, vectors, embeddings, dimensions: manifest.dimensions };
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
