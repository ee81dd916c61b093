import { describe, expect, it } from 'vitest';
import { packRanking, unpackRanking } from './packed-ranking.ts';
import type { Ranking } from './ranking.ts';

const TERMS = ['居住证', '续签', '未知', '居住证', '多久'];

describe('a ranking packed for the trip back from the search thread', () => {
  it('comes out as it went in: legs present or not, unknown terms, a term asked twice', () => {
    const ranking: Ranking = {
      hits: [
        { doc: 17, score: 0.81, lexical: { rank: 1, score: 12.5 }, vector: { rank: 3, score: 0.72 }, matchedTerms: ['居住证', '续签', '居住证'] },
        { doc: 4, score: 0.44, vector: { rank: 1, score: 0.9 }, matchedTerms: [] },
        { doc: 60_123, score: 0.3, lexical: { rank: 2, score: 3.25 }, matchedTerms: ['多久'] },
      ],
      confidence: { top: 0.81, margin: 0.37, lexicalCoverage: 0.66, vectorSimilarity: 0.72 },
      unknownTerms: ['未知'],
    };
    const packed = packRanking(ranking, TERMS);
    expect(packed.numbers).toBeInstanceOf(Float64Array);
    expect(unpackRanking(structuredClone(packed), TERMS)).toEqual(ranking);
  });

  it('carries an empty ranking', () => {
    const ranking: Ranking = { hits: [], confidence: { top: 0, margin: 0, lexicalCoverage: 0, vectorSimilarity: 0 }, unknownTerms: [...TERMS] };
    expect(unpackRanking(packRanking(ranking, TERMS), TERMS)).toEqual(ranking);
  });

  it('refuses a term the request does not have', () => {
    const ranking: Ranking = { hits: [{ doc: 1, score: 1, matchedTerms: ['护照'] }], confidence: { top: 1, margin: 1, lexicalCoverage: 1, vectorSimilarity: 1 }, unknownTerms: [] };
    expect(() => packRanking(ranking, TERMS)).toThrow(/护照/);
  });
});
