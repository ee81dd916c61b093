/**
 * Fusing the lexical and vector rankings. Reciprocal rank fusion needs no score calibration; the
 * calibrated blend (lexical coverage and cosine similarity, both in [0, 1]) also yields the confidence
 * signal, whichever method ranks.
 */
export interface LegHit {
  doc: number;
  score: number;
}

export interface FusionParams {
  method: 'rrf' | 'blend';
  /** RRF constant: larger flattens the rank curve. */
  rrfK: number;
  /** Weight of the lexical leg (RRF weight, and share in the calibrated blend); the vector leg gets 1 − this. */
  lexicalWeight: number;
  /**
   * Multiplier of the fused score per document kind code (item, item-faq, faq, policy): a citizen asking
   * about a service is best served by the service item itself; FAQs and policies stay in the list.
   */
  kindPrior: readonly [number, number, number, number];
}

export const DEFAULT_FUSION: FusionParams = { method: 'blend', rrfK: 60, lexicalWeight: 0.6, kindPrior: [1, 0.9, 0.85, 0.8] };

export interface FusedHit {
  doc: number;
  score: number;
  /** Calibrated score in [0, 1] (see SearchConfidence). */
  calibrated: number;
  lexicalCoverage: number;
  vectorSimilarity: number;
  lexical?: { rank: number; score: number };
  vector?: { rank: number; score: number };
}

/** Scores of a document the leg did not rank in its top list (computed directly), for the calibrated blend. */
export interface MissingScores {
  lexical(doc: number): number;
  vector(doc: number): number;
}

export function fuse(
  lexical: readonly LegHit[],
  lexicalBound: number,
  vector: readonly LegHit[],
  params: FusionParams = DEFAULT_FUSION,
  missing?: MissingScores,
  kindOf?: (doc: number) => number,
): FusedHit[] {
  const byDoc = new Map<number, FusedHit>();
  const entry = (doc: number): FusedHit => {
    let e = byDoc.get(doc);
    if (!e) byDoc.set(doc, (e = { doc, score: 0, calibrated: 0, lexicalCoverage: 0, vectorSimilarity: 0 }));
    return e;
  };
  const wl = params.lexicalWeight;
  const wv = 1 - wl;
  lexical.forEach((h, i) => {
    const e = entry(h.doc);
    e.lexical = { rank: i + 1, score: h.score };
    e.lexicalCoverage = lexicalBound > 0 ? Math.min(h.score / lexicalBound, 1) : 0;
  });
  vector.forEach((h, i) => {
    const e = entry(h.doc);
    e.vector = { rank: i + 1, score: h.score };
    e.vectorSimilarity = Math.max(0, Math.min(h.score, 1));
  });
  const hits = [...byDoc.values()];
  for (const e of hits) {
    if (missing && !e.lexical && lexicalBound > 0) e.lexicalCoverage = Math.min(missing.lexical(e.doc) / lexicalBound, 1);
    if (missing && !e.vector && vector.length) e.vectorSimilarity = Math.max(0, Math.min(missing.vector(e.doc), 1));
    e.calibrated = wl * e.lexicalCoverage + wv * e.vectorSimilarity;
    e.score =
      params.method === 'rrf'
        ? (e.lexical ? wl / (params.rrfK + e.lexical.rank) : 0) + (e.vector ? wv / (params.rrfK + e.vector.rank) : 0)
        : e.calibrated;
    if (kindOf) e.score *= params.kindPrior[kindOf(e.doc)] ?? 1;
  }
  return hits.sort((a, b) => b.score - a.score || b.calibrated - a.calibrated || a.doc - b.doc);
}
