/**
 * Our lexical ranking: BM25F over an inverted index with integer document ids and typed arrays.
 *
 * BM25F combines a term's per-field frequencies, each length-normalised and weighted, into one pseudo
 * frequency before saturation, so a term in the title outweighs the same term in the body without the
 * fields' scores simply adding up. The per-(term, document) contribution does not depend on the query,
 * so it is precomputed ("impact"): a query only adds up posting impacts.
 */
import type { Corpus } from './corpus.ts';
import { FIELDS, type FieldName } from './documents.ts';

export interface Bm25fParams {
  k1: number;
  fields: Record<FieldName, { weight: number; b: number }>;
}

export const DEFAULT_BM25F: Bm25fParams = {
  k1: 1.2,
  fields: {
    title: { weight: 3, b: 0.5 },
    aliases: { weight: 3, b: 0.3 },
    keywords: { weight: 2, b: 0.3 },
    summary: { weight: 1, b: 0.75 },
    body: { weight: 0.5, b: 0.75 },
    context: { weight: 0.5, b: 0.5 },
  },
};

/** The serialisable arrays of a built index (CSR layout: the postings of term t are [offsets[t], offsets[t+1])). */
export interface LexicalArrays {
  terms: string[];
  offsets: Uint32Array;
  docs: Uint32Array;
  impacts: Float32Array;
  /** Upper bound of one term's impact, per term: idf · (k1 + 1). */
  maxImpact: Float32Array;
  docCount: number;
}

export interface LexicalMatch {
  doc: number;
  score: number;
}

export class LexicalIndex {
  private readonly termIds: Map<string, number>;
  private readonly scores: Float32Array;
  private readonly seen: Uint8Array;
  private readonly touched: Uint32Array;
  private readonly heap = new TopK();
  /** The largest single-term impact bound (a term found in one document). */
  private readonly rarestImpact: number;

  constructor(readonly arrays: LexicalArrays) {
    this.termIds = new Map(arrays.terms.map((t, i) => [t, i]));
    this.scores = new Float32Array(arrays.docCount);
    this.seen = new Uint8Array(arrays.docCount);
    this.touched = new Uint32Array(arrays.docCount);
    this.rarestImpact = arrays.maxImpact.reduce((m, x) => Math.max(m, x), 0);
  }

  get termCount(): number {
    return this.arrays.terms.length;
  }

  static build(corpus: Corpus, params: Bm25fParams = DEFAULT_BM25F): LexicalIndex {
    const n = corpus.docCount;
    const nf = FIELDS.length;
    const { fieldLengths, postTerm, postDoc, postFieldCounts, isWord } = corpus;
    const avg = new Float64Array(nf);
    for (let f = 0; f < nf; f++) {
      let sum = 0;
      for (let d = 0; d < n; d++) sum += fieldLengths[d * nf + f]!;
      avg[f] = Math.max(sum / Math.max(n, 1), 1);
    }
    const weight = Float64Array.from(FIELDS, (f) => params.fields[f].weight);
    const b = Float64Array.from(FIELDS, (f) => params.fields[f].b);

    // Lexical term ids: the corpus's word terms, renumbered densely.
    const lexId = new Int32Array(corpus.terms.length).fill(-1);
    const terms: string[] = [];
    corpus.terms.forEach((t, i) => {
      if (isWord[i]) {
        lexId[i] = terms.length;
        terms.push(t);
      }
    });
    // Counting sort of postings by term; the corpus lists them by document, so each list stays sorted.
    const total = postTerm.length;
    const offsets = new Uint32Array(terms.length + 1);
    for (let p = 0; p < total; p++) offsets[lexId[postTerm[p]!]! + 1]! += 1;
    for (let t = 0; t < terms.length; t++) offsets[t + 1]! += offsets[t]!;
    const cursor = offsets.slice(0, terms.length);
    const docs = new Uint32Array(total);
    const pseudo = new Float32Array(total);
    for (let p = 0; p < total; p++) {
      const d = postDoc[p]!;
      let tf = 0;
      for (let f = 0; f < nf; f++) {
        const c = postFieldCounts[p * nf + f]!;
        if (c) tf += (weight[f]! * c) / (1 - b[f]! + (b[f]! * fieldLengths[d * nf + f]!) / avg[f]!);
      }
      const slot = cursor[lexId[postTerm[p]!]!]!++;
      docs[slot] = d;
      pseudo[slot] = tf;
    }
    const impacts = new Float32Array(total);
    const maxImpact = new Float32Array(terms.length);
    const k1 = params.k1;
    for (let t = 0; t < terms.length; t++) {
      const df = offsets[t + 1]! - offsets[t]!;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      maxImpact[t] = idf * (k1 + 1);
      for (let p = offsets[t]!; p < offsets[t + 1]!; p++) impacts[p] = (idf * pseudo[p]! * (k1 + 1)) / (k1 + pseudo[p]!);
    }
    return new LexicalIndex({ terms, offsets, docs, impacts, maxImpact, docCount: n });
  }

  /**
   * Top `k` documents for the query terms, restricted to `allow`ed documents when given.
   * `coverageBound` is the best score any document could reach (every term at its maximum impact).
   */
  search(terms: readonly string[], k: number, allow?: (doc: number) => boolean): { matches: LexicalMatch[]; bound: number } {
    const { offsets, docs, impacts, maxImpact } = this.arrays;
    const { scores, seen, touched } = this;
    let touchedCount = 0;
    let bound = 0;
    for (const term of terms) {
      const t = this.termIds.get(term);
      // A term no document has still counts toward the reachable score: the query asked for it.
      if (t === undefined) {
        bound += this.rarestImpact;
        continue;
      }
      bound += maxImpact[t]!;
      const end = offsets[t + 1]!;
      for (let p = offsets[t]!; p < end; p++) {
        const d = docs[p]!;
        if (!seen[d]) {
          seen[d] = 1;
          touched[touchedCount++] = d;
        }
        scores[d]! += impacts[p]!;
      }
    }
    // Top k by a bounded heap over the typed arrays: a term found in most documents touches tens of
    // thousands of them, and one object per touched document made every such query pay a GC pause.
    const heap = this.heap;
    heap.reset(Math.min(k, touchedCount));
    for (let i = 0; i < touchedCount; i++) {
      const d = touched[i]!;
      if (!allow || allow(d)) heap.offer(d, scores[d]!);
      scores[d] = 0;
      seen[d] = 0;
    }
    return { matches: heap.drain(), bound };
  }

  /** The terms of the list that occur in the document. */
  matchedTerms(terms: readonly string[], doc: number): string[] {
    return terms.filter((term) => this.impact(term, doc) > 0);
  }

  /** The document's score for the terms, computed directly (for a document outside the top list). */
  scoreOf(terms: readonly string[], doc: number): number {
    let score = 0;
    for (const term of terms) score += this.impact(term, doc);
    return score;
  }

  /** The term's impact in the document (binary search in its posting list), 0 when absent. */
  private impact(term: string, doc: number): number {
    const t = this.termIds.get(term);
    if (t === undefined) return 0;
    const { offsets, docs, impacts } = this.arrays;
    let lo = offsets[t]!;
    let hi = offsets[t + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = docs[mid]!;
      if (v === doc) return impacts[mid]!;
      if (v < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }
}

/**
 * The k best (document, score) pairs seen, kept in a min-heap whose root is the worst kept: a lower score,
 * or on equal scores the higher document id (ties are broken by document id for determinism).
 */
class TopK {
  private docs = new Uint32Array(64);
  private scores = new Float64Array(64);
  private size = 0;
  private k = 0;

  reset(k: number): void {
    this.k = k;
    this.size = 0;
    if (this.docs.length < k) {
      this.docs = new Uint32Array(k);
      this.scores = new Float64Array(k);
    }
  }

  /** a ranks below b. */
  private worse(da: number, sa: number, db: number, sb: number): boolean {
    return sa < sb || (sa === sb && da > db);
  }

  offer(doc: number, score: number): void {
    const { docs, scores } = this;
    if (this.size < this.k) {
      let i = this.size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.worse(doc, score, docs[parent]!, scores[parent]!)) break;
        docs[i] = docs[parent]!;
        scores[i] = scores[parent]!;
        i = parent;
      }
      docs[i] = doc;
      scores[i] = score;
      return;
    }
    if (this.k === 0 || this.worse(doc, score, docs[0]!, scores[0]!)) return;
    this.siftDown(doc, score, this.size);
  }

  /** Places (doc, score) at the root and sifts it down within the first n slots. */
  private siftDown(doc: number, score: number, n: number): void {
    const { docs, scores } = this;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.worse(docs[r]!, scores[r]!, docs[l]!, scores[l]!) ? r : l;
      if (!this.worse(docs[c]!, scores[c]!, doc, score)) break;
      docs[i] = docs[c]!;
      scores[i] = scores[c]!;
      i = c;
    }
    docs[i] = doc;
    scores[i] = score;
  }

  /** The kept pairs, best first; empties the heap. */
  drain(): LexicalMatch[] {
    const out: LexicalMatch[] = new Array(this.size);
    for (let n = this.size; n > 0; n--) {
      out[n - 1] = { doc: this.docs[0]!, score: this.scores[0]! };
      if (n > 1) this.siftDown(this.docs[n - 1]!, this.scores[n - 1]!, n - 1);
    }
    this.size = 0;
    return out;
  }
}
