/**
 * The dense leg: document vectors in hnswlib-node behind LangChain's HNSWLib vector store.
 * The wrapper builds indexes with its own defaults and never sets the query-time `ef` (and `readIndex`
 * resets it to 10), so this module creates the graph itself and sets `ef` after every build and load.
 *
 * The store's docstore keeps nothing per vector but the document's id string (shared with the document
 * metadata): the Document a search returns is made on demand from its label, which is the document number.
 * Tens of thousands of stored Documents, and a docstore.json to parse on every start, cost memory and
 * start-up time for no information the index does not already have.
 *
 * The stored vectors are also kept, quantised, in one typed array (quantized-rows.ts): fusion asks for the
 * cosine of the query with documents the vector leg did not rank, and reading a point out of hnswlib makes a
 * JS array per call, several times the cost of the arithmetic.
 */
import { Document } from '@langchain/core/documents';
import { Embeddings, type EmbeddingsInterface } from '@langchain/core/embeddings';
import { SynchronousInMemoryDocstore } from '@langchain/community/stores/doc/in_memory';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import fs from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { QuantizedRows } from './quantized-rows.ts';
import { readAligned } from './typed-files.ts';

export interface HnswParams {
  m: number;
  efConstruction: number;
  /** Query-time candidate list size; recall grows with it. */
  efSearch: number;
}

/**
 * `efSearch` is the smallest on this graph's recall plateau. Measured on the 15k synthetic KB, 400 mixed questions
 * searched for the fusion's 50 candidates: recall@50 against exact search 0.960 at ef 128, 0.959 at 96, 0.946 at 64;
 * ef 96 costs 17% less per search than 128, and changes 9 of 3,000 fused top-12 lists (2 first hits).
 */
export const DEFAULT_HNSW: HnswParams = { m: 16, efConstruction: 100, efSearch: 96 };

export interface VectorMatch {
  doc: number;
  /** Cosine similarity. */
  score: number;
}

/** Document vectors, row-major (count × dims). */
export interface VectorRows {
  count: number;
  dims: number;
  data: Float32Array;
}

/**
 * A docstore whose entry for label n is document n's id; Documents are made when asked for. Without ids (a
 * search thread knows documents by number only), a Document's content is its label.
 */
class DocIdDocstore extends SynchronousInMemoryDocstore {
  constructor(private docIds?: string[]) {
    super();
  }

  override search(id: string): Document {
    const doc = Number(id);
    const docId = this.docIds ? this.docIds[doc] : id;
    if (docId === undefined) throw new Error(`ID ${id} not found.`);
    return new Document({ pageContent: docId, metadata: { doc } });
  }

  override add(texts: Record<string, Document>): void {
    for (const [key, value] of Object.entries(texts)) (this.docIds ??= [])[Number(key)] = value.pageContent;
  }
}

/** The store's embedder in a search thread, which is given query vectors and never embeds text. */
class QueryVectorsOnly extends Embeddings {
  constructor() {
    super({});
  }

  embedDocuments(): Promise<number[][]> {
    return Promise.reject(new Error('this vector index is searched by vector only'));
  }

  embedQuery(): Promise<number[]> {
    return Promise.reject(new Error('this vector index is searched by vector only'));
  }
}

const INDEX_FILE = 'hnswlib.index';
const ROWS_FILE = 'vectors.q8';
const ADD_BATCH = 2048;

export class VectorIndex {
  private constructor(
    readonly store: HNSWLib,
    readonly ef: number,
    /** The stored vectors, one row per document. */
    readonly rows: QuantizedRows,
  ) {
    store.index.setEf(ef);
    if (rows.count !== this.size) throw new Error(`the vector rows hold ${rows.count} documents, the graph ${this.size}`);
  }

  get size(): number {
    return this.store.index.getCurrentCount();
  }

  static async build(vectors: VectorRows, docIds: readonly string[], embeddings: EmbeddingsInterface, params: HnswParams = DEFAULT_HNSW): Promise<VectorIndex> {
    const dims = vectors.dims || 1;
    const index = new hnswlib.HierarchicalNSW('cosine', dims);
    index.initIndex(Math.max(vectors.count, 1), params.m, params.efConstruction, 100);
    const store = new HNSWLib(embeddings, { space: 'cosine', numDimensions: dims, index, docstore: new DocIdDocstore() });
    // In batches: hnswlib takes plain arrays only, so a whole collection as arrays of numbers would be
    // several times the size of the typed rows.
    for (let start = 0; start < vectors.count; start += ADD_BATCH) {
      const end = Math.min(start + ADD_BATCH, vectors.count);
      const rows: number[][] = [];
      const documents: Document[] = [];
      for (let i = start; i < end; i++) {
        rows.push(Array.from(vectors.data.subarray(i * dims, (i + 1) * dims)));
        documents.push(new Document({ pageContent: docIds[i]!, metadata: { doc: i } }));
      }
      await store.addVectors(rows, documents);
    }
    const stored = new Float32Array(vectors.count * dims);
    for (let i = 0; i < vectors.count; i++) stored.set(index.getPoint(i), i * dims);
    return new VectorIndex(store, params.efSearch, QuantizedRows.fromFloat(stored, dims));
  }

  /**
   * Starts reading a saved graph (on the libuv thread pool, so it overlaps whatever the main thread does
   * next); `docIds` are the documents' ids in label order. Without `embeddings`, it is searched by vector only.
   */
  static async load(
    directory: string,
    dims: number,
    docIds: string[] | undefined,
    embeddings: EmbeddingsInterface | Promise<EmbeddingsInterface> = new QueryVectorsOnly(),
    efSearch: number = DEFAULT_HNSW.efSearch,
  ): Promise<VectorIndex> {
    const d = Math.max(dims, 1);
    const index = new hnswlib.HierarchicalNSW('cosine', d);
    const [, rows, resolved] = await Promise.all([index.readIndex(path.join(directory, INDEX_FILE)), readAligned(path.join(directory, ROWS_FILE)), embeddings]);
    const store = new HNSWLib(resolved, { space: 'cosine', numDimensions: d, index, docstore: new DocIdDocstore(docIds) });
    return new VectorIndex(store, efSearch, QuantizedRows.fromBuffer(rows, d));
  }

  async save(directory: string): Promise<void> {
    await fs.mkdir(directory, { recursive: true });
    await this.store.index.writeIndex(path.join(directory, INDEX_FILE));
    await this.rows.save(path.join(directory, ROWS_FILE));
  }

  /** Cosine similarity between a query vector and one indexed document (approximate: see quantized-rows.ts). */
  similarity(vector: readonly number[], doc: number): number {
    return this.rows.cosine(vector, doc);
  }

  async search(vector: number[], k: number, allow?: (doc: number) => boolean): Promise<VectorMatch[]> {
    const n = Math.min(k, this.size);
    if (n <= 0) return [];
    this.store.index.setEf(Math.max(this.ef, n));
    const filter = allow ? (d: Document) => allow(d.metadata.doc as number) : undefined;
    const results = await this.store.similaritySearchVectorWithScore(vector, n, filter);
    return results.map(([d, distance]) => ({ doc: d.metadata.doc as number, score: 1 - distance }));
  }
}
