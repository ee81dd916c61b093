/**
 * The embedders the vector leg can use, behind LangChain's `Embeddings` interface: the offline LSA model
 * learned from the knowledge base (default), or an OpenAI-compatible endpoint when configured. Each knows
 * how to persist what it needs next to the index.
 */
import crypto from 'node:crypto';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Analyzer } from './analyzer.ts';
import type { Corpus } from './corpus.ts';
import { vectorText, type SearchDocument } from './documents.ts';
import { DEFAULT_LSA, LsaEmbeddings, loadLsaState, saveLsaState, type LsaOptions, type LsaQuery } from './lsa-embeddings.ts';
import { normalizeText } from './normalize.ts';
import type { VectorRows } from './vector-index.ts';

/** An OpenAI-compatible embeddings endpoint (`baseUrl` includes the version prefix, e.g. http://host:8000/v1). */
export interface EmbeddingsConfig {
  baseUrl: string;
  apiKey: string;
  model: string;
  /** Texts per request (default 64). */
  batchSize?: number;
  /** Retries of a failed request (default 2). */
  maxRetries?: number;
}

export interface Embedder {
  /** Names the vector space: part of the cache directory name, so a different embedder never reuses an index. */
  readonly id: string;
  build(corpus: Corpus, documents: readonly SearchDocument[]): Promise<{ embeddings: EmbeddingsInterface; vectors: VectorRows }>;
  save(embeddings: EmbeddingsInterface, directory: string): Promise<void>;
  /** Starts every read at once (callers overlap it with the segmenter's load). */
  load(directory: string): Promise<EmbeddingsInterface>;
}

const bigramText = (text: string) => normalizeText(text, { traditional: false });

/** A text as the LSA model reads it: the embedder reads with this, and so can a thread without the model at hand. */
export function lsaQueryOf(analyzer: Analyzer, text: string): LsaQuery {
  return { terms: analyzer.termsForIndex(text), bigramText: bigramText(text) };
}

/** `analyzer` is asked for on first use, so loading a saved model does not wait for the segmenter. */
export function lsaEmbedder(analyzer: () => Analyzer, options: LsaOptions = DEFAULT_LSA): Embedder {
  const read = (text: string) => lsaQueryOf(analyzer(), text);
  return {
    id: `lsa${options.dimensions}`,
    async build(corpus) {
      return LsaEmbeddings.fit(corpus, read, options);
    },
    save(embeddings, directory) {
      return saveLsaState((embeddings as LsaEmbeddings).state, directory);
    },
    async load(directory) {
      return new LsaEmbeddings(await loadLsaState(directory), read);
    },
  };
}

export function openAiEmbedder(config: EmbeddingsConfig): Embedder {
  // @langchain/openai is loaded only when this embedder is configured
  const make = async () => {
    const { OpenAIEmbeddings } = await import('@langchain/openai');
    return new OpenAIEmbeddings({
      model: config.model,
      apiKey: config.apiKey,
      encodingFormat: 'float',
      batchSize: config.batchSize ?? 64,
      maxRetries: config.maxRetries ?? 2,
      configuration: { baseURL: config.baseUrl },
    });
  };
  const endpoint = crypto.createHash('sha256').update(config.baseUrl).digest('hex').slice(0, 8);
  return {
    id: `openai-${config.model.replace(/[^A-Za-z0-9.-]+/g, '_')}-${endpoint}`,
    async build(_corpus, documents) {
      const embeddings = await make();
      const rows = await embeddings.embedDocuments(documents.map(vectorText));
      const dims = rows[0]?.length ?? 0;
      const data = new Float32Array(rows.length * dims);
      rows.forEach((row, i) => {
        if (row.length !== dims) throw new Error(`embedding ${i} has ${row.length} dimensions, expected ${dims}`);
        data.set(row, i * dims);
      });
      return { embeddings, vectors: { count: rows.length, dims, data } };
    },
    async save() {},
    async load() {
      return make();
    },
  };
}
