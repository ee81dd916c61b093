/**
 * The dense leg: document vectors in hnswlib-node behind LangChain's HNSWLib vector store.
 * The wrapper builds indexes with its own defaults and never sets the query-time `ef` (and `readIndex`
 * resets it to 10), so this module creates the graph itself and sets `ef` after every build and load.
 */
import { Document } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import hnswlib from 'hnswlib-node';

export interface HnswParams {
  m: number;
  efConstruction: number;
  /** Query-time candidate list size; recall grows with it. */
  efSearch: number;
}

export const DEFAULT_HNSW: HnswParams = { m: 16, efConstruction: 100, efSearch: 128 };

export interface VectorMatch {
  doc: number;
  /** Cosine similarity. */
  score: number;
}

export class VectorIndex {
  private constructor(
    readonly store: HNSWLib,
    readonly ef: number,
  ) {
    store.index.setEf(ef);
  }

  get size(): number {
    return this.store.index.getCurrentCount();
  }

  static async build(vectors: number[][], docIds: readonly string[], embeddings: EmbeddingsInterface, params: HnswParams = DEFAULT_HNSW): Promise<VectorIndex> {
    const dims = vectors[0]?.length ?? 1;
    const index = new hnswlib.HierarchicalNSW('cosine', dims);
    index.initIndex(Math.max(vectors.length, 1), params.m, params.efConstruction, 100);
    const store = new HNSWLib(embeddings, { space: 'cosine', numDimensions: dims, index });
    const documents = docIds.map((id, doc) => new Document({ pageContent: id, metadata: { doc } }));
    if (vectors.length) await store.addVectors(vectors, documents);
    return new VectorIndex(store, params.efSearch);
  }

  static async load(directory: string, embeddings: EmbeddingsInterface, efSearch: number = DEFAULT_HNSW.efSearch): Promise<VectorIndex> {
    return new VectorIndex(await HNSWLib.load(directory, embeddings), efSearch);
  }

  async save(directory: string): Promise<void> {
    await this.store.save(directory);
  }

  /** Cosine similarity between a query vector and one indexed document. */
  similarity(vector: readonly number[], doc: number): number {
    const point = this.store.index.getPoint(doc);
    let dot = 0;
    let nq = 0;
    let np = 0;
    for (let i = 0; i < point.length; i++) {
      const q = vector[i] ?? 0;
      const p = point[i]!;
      dot += q * p;
      nq += q * q;
      np += p * p;
    }
    return nq > 0 && np > 0 ? dot / Math.sqrt(nq * np) : 0;
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
