/** Retrieval: the public surface. */
export { buildRetriever, type BuildRetrieverOptions, type BuiltRetriever, type RetrieverStats } from './build.ts';
export { INDEX_FORMAT } from './index-files.ts';
export { Analyzer, spellings, stemEnglish } from './analyzer.ts';
export { normalizeText, TYPO_TABLE, type NormalizeOptions } from './normalize.ts';
export { getSegmenter, type Segmenter } from './segmenter.ts';
export { HybridRetriever, type RetrievalLogger } from './retriever.ts';
export { LsaEmbeddings } from './lsa-embeddings.ts';
export type { EmbeddingsConfig } from './embedders.ts';
export type * from './types.ts';
