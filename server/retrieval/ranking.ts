/**
 * The index side of a search: a query already analysed (and embedded) by the retriever is ranked over the
 * lexical and vector indexes and fused. It runs where the indexes live: in the retriever's own thread
 * (IndexRanker) or in a search thread of its own (search-thread.ts), behind the same Ranker interface. It
 * knows documents by number only (their kind and subject: DocumentFacts); the retriever names them.
 */
import { HIT_KINDS, KIND_CODES, type DocumentFacts, type HitKindCount } from './documents.ts';
import { fuse, type FusedHit, type FusionParams } from './fusion.ts';
import type { LexicalIndex, NumberedTerms } from './lexical.ts';
import type { RetrievalLogger } from './retriever.ts';
import type { HitKind, SearchConfidence, SearchHit, SearchOptions } from './types.ts';
import type { LsaQuery } from './lsa-embeddings.ts';
import type { VectorIndex } from './vector-index.ts';

/**
 * A query ready for the indexes: its search terms and, unless the vector leg has nothing to say, its vector, or
 * the query as the offline model reads it (`lsa`) for a ranker that embeds queries itself.
 */
export interface RankRequest {
  terms: string[];
  vector?: number[];
  lsa?: LsaQuery;
  k: number;
  mode: NonNullable<SearchOptions['mode']>;
  kinds?: HitKind[];
}

/** A ranked document, by number: the retriever makes it a SearchHit. */
export type RankedDoc = Omit<SearchHit, 'docId' | 'kind' | 'refId' | 'itemId' | 'title'> & { doc: number };

export interface Ranking {
  hits: RankedDoc[];
  confidence: SearchConfidence;
  /** The request's terms no document has. */
  unknownTerms: string[];
}

/** The offline model, held where the indexes are: a query's vector is worked out beside its ranking. */
export interface QueryEmbedder {
  queryVector(query: LsaQuery): number[] | undefined;
}

/** Where the indexes live. `close` releases them (a search thread ends once its pending searches are answered). */
export interface Ranker {
  /** Whether it embeds queries itself (it holds the offline model): requests then carry `lsa`, not `vector`. */
  readonly embedsQueries: boolean;
  rank(request: RankRequest): Promise<Ranking>;
  summary(): IndexSummary;
  close(): Promise<void>;
}

/** What the index holds, for the retriever's statistics. */
export interface IndexSummary {
  documents: number;
  byKind: HitKindCount;
  lexicalTerms: number;
  postings: number;
  ef: number;
}

/** Candidates each leg contributes to fusion. */
const LEG_DEPTH = 50;

export const NO_CONFIDENCE: SearchConfidence = { top: 0, margin: 0, lexicalCoverage: 0, vectorSimilarity: 0 };

/** Ranks over indexes held in this thread. */
export class IndexRanker implements Ranker {
  constructor(
    readonly facts: DocumentFacts,
    readonly lexical: LexicalIndex,
    readonly vectors: VectorIndex,
    readonly fusion: FusionParams,
    private readonly logger?: RetrievalLogger,
    /** The offline model, when queries are embedded here. */
    private readonly embedder?: QueryEmbedder,
  ) {}

  get embedsQueries(): boolean {
    return this.embedder !== undefined;
  }

  summary(): IndexSummary {
    const byKind: HitKindCount = { item: 0, 'item-faq': 0, faq: 0, policy: 0 };
    for (const code of this.facts.kinds) byKind[HIT_KINDS[code]!]++;
    return { documents: this.facts.kinds.length, byKind, lexicalTerms: this.lexical.termCount, postings: this.lexical.arrays.docs.length, ef: this.vectors.ef };
  }

  async rank({ terms, vector: given, lsa, k, mode, kinds }: RankRequest): Promise<Ranking> {
    const allow = this.kindFilter(kinds);
    const vector = given ?? (lsa && this.embedder?.queryVector(lsa));
    const depth = Math.max(LEG_DEPTH, k);
    const lex = mode === 'vector' ? { matches: [], bound: 0 } : this.lexical.search(terms, depth, allow);
    let vec: Array<{ doc: number; score: number }> = [];
    if (vector && mode !== 'lexical') {
      try {
        vec = await this.vectors.search(vector, depth, allow);
      } catch (err) {
        if (mode === 'vector') throw err;
        this.logger?.warn({ err }, 'vector search failed; answering from the lexical leg alone');
      }
    }
    // Single-leg modes rank by that leg alone (the eval baselines); hybrid fuses.
    const numbered = this.lexical.numbered(terms);
    const lexicalOf = this.lexicalScores(numbered, vec, lex.matches);
    const fused = fuse(lex.matches, lex.bound, vec, this.fusion, {
      lexical: (doc) => lexicalOf.get(doc) ?? this.lexical.scoreOf(numbered, doc),
      vector: (doc) => (vector ? this.vectors.similarity(vector, doc) : 0),
    }, (doc) => this.facts.kinds[doc]!);
    // The kind prior applies to single legs too, so the baselines differ from hybrid only by fusion.
    const prior = (f: FusedHit) => this.fusion.kindPrior[this.facts.kinds[f.doc]!] ?? 1;
    const single = (f: FusedHit) => legScore(f, mode === 'vector' ? 'vector' : 'lexical') * prior(f);
    const ranked = mode === 'hybrid' ? fused : fused.sort((a, b) => single(b) - single(a) || a.doc - b.doc);
    const top = ranked.slice(0, k);
    const impacts = this.lexical.impactsOf(numbered, top.map((f) => f.doc));
    return {
      hits: top.map((f, row) => this.ranked(f, terms.filter((_, i) => impacts[row * terms.length + i]! > 0))),
      confidence: this.confidence(ranked),
      unknownTerms: terms.filter((_, i) => numbered.numbers[i]! < 0),
    };
  }

  async close(): Promise<void> {}

  private kindFilter(kinds: readonly HitKind[] | undefined): ((doc: number) => boolean) | undefined {
    if (!kinds?.length) return undefined;
    const allowed = new Uint8Array(4);
    for (const kind of kinds) if (kind in KIND_CODES) allowed[KIND_CODES[kind]] = 1;
    return (doc) => allowed[this.facts.kinds[doc]!] === 1;
  }

  private ranked(f: FusedHit, matchedTerms: string[]): RankedDoc {
    return {
      doc: f.doc,
      score: f.score,
      ...(f.lexical ? { lexical: f.lexical } : {}),
      ...(f.vector ? { vector: f.vector } : {}),
      matchedTerms,
    };
  }

  /** The lexical scores of the documents only the vector leg ranked, which fusion asks for, worked out together. */
  private lexicalScores(numbered: NumberedTerms, vec: readonly { doc: number }[], lexical: readonly { doc: number }[]): Map<number, number> {
    const ranked = new Set(lexical.map((m) => m.doc));
    const unscored = vec.map((v) => v.doc).filter((doc) => !ranked.has(doc));
    const scores = this.lexical.scoresOf(numbered, unscored);
    return new Map(unscored.map((doc, row) => [doc, scores[row]!]));
  }

  /** Calibrated score of the top hit and its margin over the best hit about something else. */
  private confidence(ranked: readonly FusedHit[]): SearchConfidence {
    const first = ranked[0];
    if (!first) return NO_CONFIDENCE;
    const { subjects } = this.facts;
    const topSubject = subjects[first.doc];
    const runnerUp = ranked.find((f) => subjects[f.doc] !== topSubject);
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
