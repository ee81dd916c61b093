/**
 * The index as saved in its cache directory (build.ts writes it): the manifest, the documents, the lexical
 * index and the vector graph. Read by the retriever's own thread or by a search thread (search-worker.ts), so
 * this module imports nothing that loads the segmenter.
 */
import fsSync from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { DocumentMeta } from './documents.ts';
import { LexicalIndex } from './lexical.ts';
import { readAligned, readArrays } from './typed-files.ts';
import { VectorIndex } from './vector-index.ts';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';

/** Bumped whenever the on-disk layout or the analysis/ranking that produced it changes. */
export const INDEX_FORMAT = 5;

export interface IndexManifest {
  format: number;
  kbHash: string;
  embedderId: string;
  documents: number;
  lexicalTerms: number;
  postings: number;
  dimensions: number;
  builtAt: string;
}

/** The parts a search ranks over. */
export interface RankingFiles {
  lexical: LexicalIndex;
  vectors: VectorIndex;
}

/** Those and the documents they rank, by number. */
export interface IndexFiles extends RankingFiles {
  documents: DocumentMeta[];
}

/** The manifest of a cache directory; undefined when there is none (a directory without one is never trusted). */
export function readManifest(indexDir: string): IndexManifest | undefined {
  try {
    return JSON.parse(fsSync.readFileSync(path.join(indexDir, 'manifest.json'), 'utf8')) as IndexManifest;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Reads the documents, the lexical index and the vector graph: every read is issued before this returns, so
 * they proceed while the caller's thread is busy. `embeddings` is what the vector store embeds text with.
 */
export function loadIndexFiles(
  indexDir: string,
  manifest: IndexManifest,
  efSearch: number,
  embeddings?: Promise<EmbeddingsInterface>,
): Promise<IndexFiles> {
  const docIds: string[] = [];
  const documents = loadDocuments(indexDir, manifest);
  const ranking = loadRankingFiles(indexDir, manifest, efSearch, embeddings, docIds);
  return Promise.all([documents, ranking]).then(([documents, ranking]) => {
    for (const d of documents) docIds.push(d.docId);
    return { documents, ...ranking };
  });
}

/** The documents, by number: what the retriever names a ranked document by. */
export async function loadDocuments(indexDir: string, manifest: IndexManifest): Promise<DocumentMeta[]> {
  const documents = JSON.parse(await fs.readFile(path.join(indexDir, 'documents.json'), 'utf8')) as DocumentMeta[];
  if (documents.length !== manifest.documents) throw new Error('the documents disagree with the manifest');
  return documents;
}

/**
 * The lexical index and the vector graph, without the documents (a search thread knows documents by number).
 * Without `embeddings` the graph is searched by query vector only; `docIds`, filled by the caller, name the
 * graph's documents for LangChain's docstore.
 */
export function loadRankingFiles(
  indexDir: string,
  manifest: IndexManifest,
  efSearch: number,
  embeddings?: Promise<EmbeddingsInterface>,
  docIds?: string[],
): Promise<RankingFiles> {
  const reads = Promise.all([
    fs.readFile(path.join(indexDir, 'lexical-terms.json'), 'utf8'),
    readAligned(path.join(indexDir, 'lexical.bin')),
    VectorIndex.load(path.join(indexDir, 'hnsw'), manifest.dimensions, docIds, embeddings, efSearch),
  ]);
  return reads.then(([termsJson, lexicalBin, vectors]) => {
    const terms = JSON.parse(termsJson) as string[];
    const t = manifest.lexicalTerms;
    const p = manifest.postings;
    if (terms.length !== t) throw new Error('the lexical terms disagree with the manifest');
    const [offsets, docs, impacts, maxImpact] = readArrays(lexicalBin, [
      ['u32', t + 1],
      ['u32', p],
      ['f32', p],
      ['f32', t],
    ]) as [Uint32Array, Uint32Array, Float32Array, Float32Array];
    const lexical = new LexicalIndex({ terms, offsets, docs, impacts, maxImpact, docCount: manifest.documents });
    if (vectors.size !== manifest.documents) throw new Error('vector index size disagrees with the manifest');
    return { lexical, vectors };
  });
}
