/** The retrieval contract the assistant, the search API and the evals use. */

export type HitKind = 'item' | 'item-faq' | 'faq' | 'policy';

export interface SearchHit {
  /** Unique document id in the index, e.g. "item:residence-permit-first", "item-faq:residence-permit-first#1", "faq:hf-001". */
  docId: string;
  kind: HitKind;
  /** The item, FAQ or policy id the document comes from. */
  refId: string;
  /** The service item the document is about (items, their FAQs, FAQs linked to exactly one item). */
  itemId?: string;
  title: string;
  /** Fused score, higher is better; comparable within one query only. */
  score: number;
  /** Rank (1-based) and raw score in each leg that found it. */
  lexical?: { rank: number; score: number };
  vector?: { rank: number; score: number };
  /** Query terms (after normalisation and synonym expansion) found in the document. */
  matchedTerms: string[];
}

export interface SearchOptions {
  /** How many hits (default 10). */
  k?: number;
  kinds?: HitKind[];
  /** Which legs: both fused (default), or one alone (for the eval baselines). */
  mode?: 'hybrid' | 'lexical' | 'vector';
}

/** A query after normalisation, segmentation and synonym expansion. */
export interface AnalyzedQuery {
  original: string;
  /** Full-width→half-width, traditional→simplified, typo fixes, lower case, collapsed whitespace. */
  normalized: string;
  /** jieba tokens of the normalized text, stop words removed. */
  tokens: string[];
  /** Canonical and variant terms added from synonym groups. */
  expansions: string[];
}

export interface Retriever {
  /** The knowledge-base hash the index was built from. */
  readonly kbHash: string;
  analyze(query: string): AnalyzedQuery;
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
}

/** How sure the retriever is about its best hit, for the assistant to decide between answering, clarifying and handing off. */
export interface SearchConfidence {
  /**
   * Calibrated score of the top hit in [0, 1]: a blend of its lexical coverage (BM25F score over the best
   * score any document could reach for these terms) and its vector cosine similarity.
   */
  top: number;
  /** `top` minus the calibrated score of the best hit about a different item (or policy/FAQ); `top` itself when there is none. */
  margin: number;
  /** The two parts of `top`. */
  lexicalCoverage: number;
  vectorSimilarity: number;
}

export interface SearchResult {
  analyzed: AnalyzedQuery;
  hits: SearchHit[];
  confidence: SearchConfidence;
  /** The query's search terms no document has. */
  unknownTerms: readonly string[];
  /**
   * The query's nouns in order, each with whether any document has it: a question about a thing no document has
   * (护士 in "护士执业证书怎么注册") is outside the knowledge base, whatever the hits match. Worked out when first
   * read (it tags the query's words, a second pass of the segmenter); with no unknown term, every noun is known.
   */
  readonly nouns: QueryNoun[];
}

export interface QueryNoun {
  text: string;
  /** Whether any document has one of its search terms. */
  known: boolean;
}

/** The built-in retriever: the contract plus a detailed search for the assistant. */
export interface DetailedRetriever extends Retriever {
  searchDetailed(query: string, options?: SearchOptions): Promise<SearchResult>;
}
