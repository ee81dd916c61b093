/**
 * The hybrid retriever: BM25F and vector search over the same documents, fused, with a confidence signal.
 * The query is analysed and embedded here; the ranking runs where the indexes live (ranking.ts).
 */
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { Analyzer } from './analyzer.ts';
import type { DocumentMeta } from './documents.ts';
import { lsaQueryOf } from './embedders.ts';
import type { LsaQuery } from './lsa-embeddings.ts';
import { IndexRanker, NO_CONFIDENCE, type RankedDoc, type Ranker } from './ranking.ts';
import type { AnalyzedQuery, DetailedRetriever, QueryNoun, SearchHit, SearchOptions, SearchResult } from './types.ts';

export interface RetrievalLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

const MAX_K = 100;

export class HybridRetriever implements DetailedRetriever {
  /** Searches under way, which a close lets finish. */
  private searching = 0;
  private closing?: Promise<void>;
  private idle?: () => void;

  constructor(
    readonly kbHash: string,
    readonly analyzer: Analyzer,
    /** What queries are embedded with in this thread; undefined when the ranker embeds them itself. */
    readonly embeddings: EmbeddingsInterface | undefined,
    /** The documents by number, as the ranker knows them. */
    readonly documents: readonly DocumentMeta[],
    readonly ranker: Ranker,
    private readonly logger?: RetrievalLogger,
  ) {}

  /** The indexes, when they are ranked in this thread (tests and benchmarks look into them). */
  get index(): IndexRanker | undefined {
    return this.ranker instanceof IndexRanker ? this.ranker : undefined;
  }

  analyze(query: string): AnalyzedQuery {
    return this.analyzer.analyze(query);
  }

  async search(query: string, options?: SearchOptions): Promise<SearchHit[]> {
    return (await this.searchDetailed(query, options)).hits;
  }

  async searchDetailed(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    if (this.closing) throw new Error('the retriever is closed');
    this.searching++;
    try {
      return await this.rankQuery(query, options);
    } finally {
      if (--this.searching === 0) this.idle?.();
    }
  }

  /** Releases the indexes (ends a search thread) once the searches under way are answered; later ones are refused. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.searching) await new Promise<void>((resolve) => (this.idle = resolve));
      await this.ranker.close();
    })();
    return this.closing;
  }

  private async rankQuery(query: string, options: SearchOptions): Promise<SearchResult> {
    const analyzed = this.analyzer.analyze(typeof query === 'string' ? query.slice(0, 2000) : '');
    const terms = this.analyzer.queryTerms(analyzed);
    const k = Number.isFinite(options.k) ? Math.min(Math.max(Math.trunc(options.k!), 1), MAX_K) : 10;
    const mode = options.mode ?? 'hybrid';
    // A query with no content word (empty, or only stop words such as "怎么办") matches nothing.
    if (!terms.length) return { analyzed, hits: [], confidence: NO_CONFIDENCE, unknownTerms: [], nouns: [] };
    let vector: number[] | undefined;
    let lsa: LsaQuery | undefined;
    if (mode !== 'lexical') {
      if (this.ranker.embedsQueries) lsa = lsaQueryOf(this.analyzer, analyzed.normalized);
      else {
        try {
          if (!this.embeddings) throw new Error('no embedder for queries');
          vector = await this.embeddings.embedQuery(analyzed.normalized);
          // A zero vector means the embedder knows none of the query's words: the leg has nothing to say.
          if (!vector.some((x) => x !== 0)) vector = undefined;
        } catch (err) {
          if (mode === 'vector') throw err;
          this.logger?.warn({ err }, 'vector search failed; answering from the lexical leg alone');
        }
      }
    }
    const { unknownTerms, hits, confidence } = await this.ranker.rank({
      terms, k, mode, ...(vector ? { vector } : {}), ...(lsa ? { lsa } : {}), ...(options.kinds ? { kinds: options.kinds } : {}),
    });
    let nouns: QueryNoun[] | undefined;
    const tag = () => this.nouns(analyzed, unknownTerms);
    return {
      analyzed, hits: hits.map((h) => this.hit(h)), confidence, unknownTerms,
      get nouns() {
        return (nouns ??= tag());
      },
    };
  }

  private hit({ doc, ...ranked }: RankedDoc): SearchHit {
    const meta = this.documents[doc]!;
    return { docId: meta.docId, kind: meta.kind, refId: meta.refId, ...(meta.itemId ? { itemId: meta.itemId } : {}), title: meta.title, ...ranked };
  }

  /** The query's nouns; one is unknown when no document has any of its search terms. */
  private nouns(analyzed: AnalyzedQuery, unknownTerms: readonly string[]): QueryNoun[] {
    const unknown = new Set(unknownTerms);
    return this.analyzer.segmenter.nouns(analyzed.normalized).map((text) => {
      const terms = this.analyzer.termsForNormalized(text);
      return { text, known: !(terms.length > 0 && terms.every((t) => unknown.has(t))) };
    });
  }
}
