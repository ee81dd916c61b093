/**
 * The hybrid retriever: BM25F and vector search over the same documents, fused, with a confidence signal.
 */
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Analyzer } from './analyzer.ts';
import { KIND_CODES, type DocumentMeta } from './documents.ts';
import { DEFAULT_FUSION, fuse, type FusedHit, type FusionParams } from './fusion.ts';
import type { LexicalIndex } from './lexical.ts';
import type {
  AnalyzedQuery, DetailedRetriever, HitKind, SearchConfidence, SearchHit, SearchOptions, SearchResult,
} from './types.ts';
import type { VectorIndex } from './vector-index.ts';

export interface RetrievalLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** Candidates each leg contributes to fusion. */
const LEG_DEPTH = 50;
const MAX_K = 100;

const NO_CONFIDENCE: SearchConfidence = { top: 0, margin: 0, lexicalCoverage: 0, vectorSimilarity: 0 };

export class HybridRetriever implements DetailedRetriever {
  private readonly kindOf: Uint8Array;

  constructor(
    readonly kbHash: string,
    readonly analyzer: Analyzer,
    readonly documents: readonly DocumentMeta[],
    readonly lexical: LexicalIndex,
    readonly vectors: VectorIndex,
    readonly embeddings: EmbeddingsInterface,
    readonly fusion: FusionParams = DEFAULT_FUSION,
    private readonly logger?: RetrievalLogger,
  ) {
    this.kindOf = Uint8Array.from(documents, (d) => KIND_CODES[d.kind]);
  }

  analyze(query: string): AnalyzedQuery {
    return this.analyzer.analyze(query);
  }

  async search(query: string, options?: SearchOptions): Promise<SearchHit[]> {
    return (await this.searchDetailed(query, options)).hits;
  }

  async searchDetailed(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    const analyzed = this.analyzer.analyze(typeof query === 'string' ? query.slice(0, 2000) : '');
    const terms = this.analyzer.queryTerms(analyzed);
    const k = Number.isFinite(options.k) ? Math.min(Math.max(Math.trunc(options.k!), 1), MAX_K) : 10;
    const mode = options.mode ?? 'hybrid';
    // A query with no content word (empty, or only stop words such as "怎么办") matches nothing.
    if (!terms.length) return { analyzed, hits: [], confidence: NO_CONFIDENCE };
    const allow = this.kindFilter(options.kinds);
    const depth = Math.max(LEG_DEPTH, k);

    const lex = mode === 'vector' ? { matches: [], bound: 0 } : this.lexical.search(terms, depth, allow);
    let queryVector: number[] | undefined;
    let vec: Array<{ doc: number; score: number }> = [];
    if (mode !== 'lexical') {
      try {
        queryVector = await this.embeddings.embedQuery(analyzed.normalized);
        // A zero vector means the embedder knows none of the query's words: the leg has nothing to say.
        if (queryVector.some((x) => x !== 0)) vec = await this.vectors.search(queryVector, depth, allow);
        else queryVector = undefined;
      } catch (err) {
        if (mode === 'vector') throw err;
        this.logger?.warn({ err }, 'vector search failed; answering from the lexical leg alone');
      }
    }
    // Single-leg modes rank by that leg alone (the eval baselines); hybrid fuses.
    const fused = fuse(lex.matches, lex.bound, vec, this.fusion, {
      lexical: (doc) => this.lexical.scoreOf(terms, doc),
      vector: (doc) => (queryVector ? this.vectors.similarity(queryVector, doc) : 0),
    }, (doc) => this.kindOf[doc]!);
    // The kind prior applies to single legs too, so the baselines differ from hybrid only by fusion.
    const prior = (f: FusedHit) => this.fusion.kindPrior[this.kindOf[f.doc]!] ?? 1;
    const single = (f: FusedHit) => legScore(f, mode === 'vector' ? 'vector' : 'lexical') * prior(f);
    const ranked = mode === 'hybrid' ? fused : fused.sort((a, b) => single(b) - single(a) || a.doc - b.doc);
    const top = ranked.slice(0, k);
    const hits = top.map((f) => this.toHit(f, terms));
    return { analyzed, hits, confidence: this.confidence(ranked) };
  }

  private kindFilter(kinds: readonly HitKind[] | undefined): ((doc: number) => boolean) | undefined {
    if (!kinds?.length) return undefined;
    const allowed = new Uint8Array(4);
    for (const kind of kinds) if (kind in KIND_CODES) allowed[KIND_CODES[kind]] = 1;
    return (doc) => allowed[this.kindOf[doc]!] === 1;
  }

  private toHit(f: FusedHit, terms: readonly string[]): SearchHit {
    const meta = this.documents[f.doc]!;
    return {
      docId: meta.docId,
      kind: meta.kind,
      refId: meta.refId,
      ...(meta.itemId ? { itemId: meta.itemId } : {}),
      title: meta.title,
      score: f.score,
      ...(f.lexical ? { lexical: f.lexical } : {}),
      ...(f.vector ? { vector: f.vector } : {}),
      matchedTerms: this.lexical.matchedTerms(terms, f.doc),
    };
  }

  /** Calibrated score of the top hit and its margin over the best hit about something else. */
  private confidence(ranked: readonly FusedHit[]): SearchConfidence {
    const first = ranked[0];
    if (!first) return NO_CONFIDENCE;
    const subject = (f: FusedHit) => {
      const m = this.documents[f.doc]!;
      return m.itemId ? `item:${m.itemId}` : m.docId;
    };
    const topSubject = subject(first);
    const runnerUp = ranked.find((f) => subject(f) !== topSubject);
    return {
      top: first.calibrated,
      margin: runnerUp ? Math.max(first.calibrated - runnerUp.calibrated, 0) : first.calibrated,
      lexicalCoverage: first.lexicalCoverage,
      vectorSimilarity: first.vectorSimilarity,
    };
  }
}

function legScore(f: FusedHit, mode: 'lexical' | 'vector'): number {
  const leg = mode === 'lexical' ? f.lexical : f.vector;
  return leg ? leg.score : Number.NEGATIVE_INFINITY;
}
