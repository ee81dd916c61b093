/**
 * Our lexical ranking: BM25F over an inverted index with integer document ids and typed arrays.
 *
 * BM25F combines a term's per-field frequencies, each length-normalised and weighted, into one pseudo
 * frequency before saturation, so a term in the title outweighs the same term in the body without the
 * fields' scores simply adding up. The per-(term, document) contribution does not depend on the query,
 * so it is precomputed ("impact"): a query only adds up posting impacts, and skips the postings that
 * cannot change its top k (see `search`).
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
    english: { weight: 1, b: 0.75 },
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

/** A query's terms and their numbers in one index (-1: no document has the term). */
export interface NumberedTerms {
  terms: readonly string[];
  numbers: Int32Array;
}

export interface LexicalMatch {
  doc: number;
  score: number;
}

export class LexicalIndex {
  private readonly termIds: Map<string, number>;
  /** The largest impact actually in each term's posting list (tighter than `maxImpact`, which calibrates). */
  private readonly listMax: Float32Array;
  private readonly heap = new TopK();
  private readonly query = new QueryLists();
  /** Documents scored by the seeding pass of the current search. */
  private readonly seeded: Uint8Array;
  /** The largest single-term impact bound (a term found in one document). */
  private readonly rarestImpact: number;

  constructor(readonly arrays: LexicalArrays) {
    this.termIds = new Map(arrays.terms.map((t, i) => [t, i]));
    this.rarestImpact = arrays.maxImpact.reduce((m, x) => Math.max(m, x), 0);
    this.seeded = new Uint8Array(arrays.docCount);
    const { offsets, impacts } = arrays;
    this.listMax = new Float32Array(arrays.terms.length);
    for (let t = 0; t < this.listMax.length; t++) {
      let max = 0;
      for (let p = offsets[t]!; p < offsets[t + 1]!; p++) if (impacts[p]! > max) max = impacts[p]!;
      this.listMax[t] = max;
    }
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
   * `bound` is the best score any document could reach (every term at its maximum impact).
   *
   * Exact top-k with MaxScore pruning, document at a time. The query's posting lists are ordered by the
   * largest impact each holds; once the heap is full, the lists whose impacts together cannot lift a
   * document above the k-th score are "non-essential": only documents of the other lists are candidates,
   * and a candidate is looked up in the non-essential lists (by galloping search, most promising first)
   * only while it can still make the list. A term found in nearly every document (北京市, 办理) is thus
   * probed, not scanned; the documents of the query's rarest term are scored first, so the threshold is high
   * from the start. Scores are summed in query-term order in single precision, exactly as an
   * exhaustive term-at-a-time pass over a Float32Array would, so the results (order, ties, scores) are
   * identical to scoring every posting.
   */
  search(terms: readonly string[], k: number, allow?: (doc: number) => boolean): { matches: LexicalMatch[]; bound: number } {
    const { offsets, docs, impacts, maxImpact } = this.arrays;
    const q = this.query;
    let bound = 0;
    q.reset(terms.length);
    for (let i = 0; i < terms.length; i++) {
      const t = this.termIds.get(terms[i]!);
      // A term no document has still counts toward the reachable score: the query asked for it.
      if (t === undefined) {
        bound += this.rarestImpact;
        q.position[i] = -1;
        continue;
      }
      bound += maxImpact[t]!;
      q.position[i] = q.group(t, offsets[t]!, offsets[t + 1]!, this.listMax[t]!);
    }
    const heap = this.heap;
    if (k <= 0 || q.groups === 0) return { matches: [], bound };
    heap.reset(k);

    const n = q.groups;
    const { order, prefix, cursor, start, end, found, mult } = q;
    q.sortByMax();
    // Float32 rounding of the summed impacts can push a score a hair above the exact sum of its bounds.
    const slack = 1 + (terms.length + 2) * 2.4e-7;
    let threshold = -1;
    let firstEssential = 0;
    const offer = (d: number) => {
      // The exact score: single-precision sums in query-term order.
      let score = 0;
      for (let i = 0; i < terms.length; i++) {
        const g = q.position[i]!;
        if (g >= 0 && found[g] !== 0) score = Math.fround(score + found[g]!);
      }
      heap.offer(d, score);
      if (heap.full && heap.worstScore > threshold) {
        threshold = heap.worstScore;
        while (firstEssential < n && prefix[firstEssential]! * slack < threshold) firstEssential++;
      }
    };

    // A first threshold from the documents of the shortest list (a rare query term tends to mark the best
    // documents), scored before the main pass, which then prunes from its first candidate on and skips
    // them. Since they break the document order of the heap's ties, every pruning test below is strict.
    const seed = q.shortest();
    const seeding = n > 1 && (end[seed]! - start[seed]!) * n <= SEED_BUDGET;
    if (seeding) {
      for (let p = start[seed]!; p < end[seed]!; p++) {
        const d = docs[p]!;
        if (allow && !allow(d)) continue;
        this.seeded[d] = 1;
        for (let g = 0; g < n; g++) {
          const c = seek(docs, cursor[g]!, end[g]!, d);
          cursor[g] = c;
          found[g] = c < end[g]! && docs[c] === d ? impacts[c]! : 0;
        }
        offer(d);
      }
      for (let g = 0; g < n; g++) cursor[g] = start[g]!;
    }

    for (;;) {
      // The next candidate: the smallest document among the essential lists.
      let d = 0xffffffff;
      for (let j = firstEssential; j < n; j++) {
        const g = order[j]!;
        if (cursor[g]! < end[g]! && docs[cursor[g]!]! < d) d = docs[cursor[g]!]!;
      }
      if (d === 0xffffffff) break;
      let upper = 0;
      for (let j = firstEssential; j < n; j++) {
        const g = order[j]!;
        const c = cursor[g]!;
        if (c < end[g]! && docs[c] === d) {
          found[g] = impacts[c]!;
          upper += found[g]! * mult[g]!;
          cursor[g] = c + 1;
        } else found[g] = 0;
      }
      if (this.seeded[d] === 1 || (allow && !allow(d))) continue;
      let alive = true;
      for (let j = firstEssential - 1; j >= 0; j--) {
        if ((upper + prefix[j]!) * slack < threshold) {
          alive = false;
          break;
        }
        const g = order[j]!;
        const c = seek(docs, cursor[g]!, end[g]!, d);
        cursor[g] = c;
        if (c < end[g]! && docs[c] === d) {
          found[g] = impacts[c]!;
          upper += found[g]! * mult[g]!;
        } else found[g] = 0;
      }
      if (alive && upper * slack >= threshold) offer(d);
    }
    if (seeding) for (let p = start[seed]!; p < end[seed]!; p++) this.seeded[docs[p]!] = 0;
    return { matches: heap.drain(), bound };
  }

  /** The query's terms with their numbers in this index (-1: no document has it), looked up once per ranking. */
  numbered(terms: readonly string[]): NumberedTerms {
    return { terms, numbers: Int32Array.from(terms, (t) => this.termIds.get(t) ?? -1) };
  }

  /** The document's score for the terms, computed directly (for a document outside the top list). */
  scoreOf(terms: NumberedTerms, doc: number): number {
    return this.scoresOf(terms, [doc])[0]!;
  }

  /** The documents' scores for the terms, computed directly: each its impacts summed in term order. */
  scoresOf(terms: NumberedTerms, documents: readonly number[]): Float64Array {
    const width = terms.numbers.length;
    const impacts = this.impactsOf(terms, documents);
    const scores = new Float64Array(documents.length);
    for (let row = 0; row < documents.length; row++) {
      let score = 0;
      for (let i = 0; i < width; i++) score += impacts[row * width + i]!;
      scores[row] = score;
    }
    return scores;
  }

  /**
   * Each term's impact in each of the documents: row d holds documents[d]'s, in term order (0 where absent),
   * found by walking each posting list once through the documents in ascending order: scoring a few dozen
   * documents this way reads each list forwards instead of bisecting it once per document.
   */
  impactsOf({ numbers }: NumberedTerms, documents: readonly number[]): Float64Array {
    const { offsets, docs, impacts } = this.arrays;
    const width = numbers.length;
    const out = new Float64Array(documents.length * width);
    const order = Array.from(documents.keys()).sort((a, b) => documents[a]! - documents[b]!);
    for (let i = 0; i < width; i++) {
      const t = numbers[i]!;
      if (t < 0) continue;
      const end = offsets[t + 1]!;
      let at = offsets[t]!;
      for (const row of order) {
        at = seek(docs, at, end, documents[row]!);
        if (at === end) break;
        if (docs[at] === documents[row]) out[row * width + i] = impacts[at]!;
      }
    }
    return out;
  }
}

/** Postings × lists the seeding pass may probe: beyond it, seeding costs about what it saves. */
const SEED_BUDGET = 1 << 15;

/** The first position in docs[from, end) holding a document ≥ target (galloping, then binary search). */
function seek(docs: Uint32Array, from: number, end: number, target: number): number {
  if (from >= end || docs[from]! >= target) return from;
  // docs[lo] < target throughout; hi is the first position known to hold ≥ target (or end).
  let lo = from;
  let step = 1;
  let hi = from + 1;
  while (hi < end && docs[hi]! < target) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  if (hi > end) hi = end;
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid]! < target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The posting lists of one query, reused across queries: one group per distinct term (a term repeated in
 * the query counts that many times), with its cursor, its bound and its impact in the current document.
 */
class QueryLists {
  groups = 0;
  /** Group of each query position, -1 for a term no document has. */
  position = new Int32Array(16);
  term = new Int32Array(16);
  mult = new Float64Array(16);
  max = new Float64Array(16);
  cursor = new Uint32Array(16);
  start = new Uint32Array(16);
  end = new Uint32Array(16);
  found = new Float64Array(16);
  /** Groups by ascending bound, and the running sums of those bounds. */
  order = new Int32Array(16);
  prefix = new Float64Array(16);

  reset(positions: number): void {
    this.groups = 0;
    if (this.position.length < positions) {
      const n = positions;
      this.position = new Int32Array(n);
      this.term = new Int32Array(n);
      this.mult = new Float64Array(n);
      this.max = new Float64Array(n);
      this.cursor = new Uint32Array(n);
      this.start = new Uint32Array(n);
      this.end = new Uint32Array(n);
      this.found = new Float64Array(n);
      this.order = new Int32Array(n);
      this.prefix = new Float64Array(n);
    }
  }

  group(term: number, start: number, end: number, max: number): number {
    for (let g = 0; g < this.groups; g++) {
      if (this.term[g] === term) {
        this.mult[g]! += 1;
        this.max[g]! += max;
        return g;
      }
    }
    const g = this.groups++;
    this.term[g] = term;
    this.mult[g] = 1;
    this.max[g] = max;
    this.cursor[g] = start;
    this.start[g] = start;
    this.end[g] = end;
    this.found[g] = 0;
    return g;
  }

  /** The group with the fewest postings. */
  shortest(): number {
    let best = 0;
    for (let g = 1; g < this.groups; g++) if (this.end[g]! - this.start[g]! < this.end[best]! - this.start[best]!) best = g;
    return best;
  }

  sortByMax(): void {
    const { order, max, prefix } = this;
    for (let g = 0; g < this.groups; g++) {
      let j = g;
      while (j > 0 && max[order[j - 1]!]! > max[g]!) {
        order[j] = order[j - 1]!;
        j--;
      }
      order[j] = g;
    }
    let sum = 0;
    for (let j = 0; j < this.groups; j++) prefix[j] = sum += max[order[j]!]!;
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

  get full(): boolean {
    return this.size === this.k;
  }

  /** The score of the worst pair kept (meaningful once full). */
  get worstScore(): number {
    return this.scores[0]!;
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
