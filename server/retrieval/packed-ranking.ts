/**
 * A ranking as the search thread sends it back: numbers in two typed arrays instead of a dozen hit objects with
 * their term lists. A message of objects is copied field by field on both sides of the thread; typed arrays are
 * copied whole. The terms are named by their place in the request, which the main thread still holds.
 */
import type { Ranking, RankedDoc } from './ranking.ts';

export interface PackedRanking {
  /**
   * The confidence (top, margin, lexicalCoverage, vectorSimilarity), then per hit: document, score, lexical rank
   * and score, vector rank and score (rank 0: the leg did not rank it).
   */
  numbers: Float64Array;
  /** Row 0: 1 where the request's term is unknown; row h + 1: 1 where hit h matched it. One column per term. */
  terms: Uint8Array;
}

const HEAD = 4;
const PER_HIT = 6;

export function packRanking({ hits, confidence, unknownTerms }: Ranking, terms: readonly string[]): PackedRanking {
  const numbers = new Float64Array(HEAD + hits.length * PER_HIT);
  numbers.set([confidence.top, confidence.margin, confidence.lexicalCoverage, confidence.vectorSimilarity]);
  const width = terms.length;
  const flags = new Uint8Array((hits.length + 1) * width);
  markTerms(flags, 0, terms, unknownTerms);
  hits.forEach((hit, h) => {
    const at = HEAD + h * PER_HIT;
    numbers[at] = hit.doc;
    numbers[at + 1] = hit.score;
    if (hit.lexical) [numbers[at + 2], numbers[at + 3]] = [hit.lexical.rank, hit.lexical.score];
    if (hit.vector) [numbers[at + 4], numbers[at + 5]] = [hit.vector.rank, hit.vector.score];
    markTerms(flags, (h + 1) * width, terms, hit.matchedTerms);
  });
  return { numbers, terms: flags };
}

export function unpackRanking({ numbers, terms: flags }: PackedRanking, terms: readonly string[]): Ranking {
  const width = terms.length;
  const named = (row: number) => terms.filter((_, i) => flags[row * width + i] === 1);
  const hits: RankedDoc[] = [];
  for (let at = HEAD, h = 0; at < numbers.length; at += PER_HIT, h++) {
    hits.push({
      doc: numbers[at]!,
      score: numbers[at + 1]!,
      ...(numbers[at + 2] ? { lexical: { rank: numbers[at + 2]!, score: numbers[at + 3]! } } : {}),
      ...(numbers[at + 4] ? { vector: { rank: numbers[at + 4]!, score: numbers[at + 5]! } } : {}),
      matchedTerms: named(h + 1),
    });
  }
  return {
    hits,
    confidence: { top: numbers[0]!, margin: numbers[1]!, lexicalCoverage: numbers[2]!, vectorSimilarity: numbers[3]! },
    unknownTerms: named(0),
  };
}

/**
 * Flags the request's terms that are in `chosen`, a list the ranking made by filtering the request's terms in order
 * (a term asked twice is flagged at each of its places).
 */
function markTerms(flags: Uint8Array, offset: number, terms: readonly string[], chosen: readonly string[]): void {
  let next = 0;
  for (let i = 0; i < terms.length && next < chosen.length; i++) {
    if (terms[i] === chosen[next]) {
      flags[offset + i] = 1;
      next++;
    }
  }
  if (next < chosen.length) throw new Error(`the ranking names a term the request does not have: ${chosen[next]}`);
}
