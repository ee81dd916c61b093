import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../config/config.ts';
import { loadKnowledgeBase } from '../kb/index.ts';
import { synthesizeKnowledgeBase } from '../kb/synth.ts';
import { readLabelledQueries } from './evaluate.ts';
import { buildRetriever, type BuiltRetriever } from './index.ts';
import { LexicalIndex, type LexicalArrays, type LexicalMatch } from './lexical.ts';
import { seededRandom } from '../common/seeded-random.ts';

/** The reference: every posting of every term scored into a Float32Array, all documents sorted. */
function exhaustive(index: LexicalIndex, terms: readonly string[], k: number, allow?: (doc: number) => boolean): LexicalMatch[] {
  const { terms: vocabulary, offsets, docs, impacts, docCount } = index.arrays;
  const ids = new Map(vocabulary.map((t, i) => [t, i]));
  const scores = new Float32Array(docCount);
  const touched = new Set<number>();
  for (const term of terms) {
    const t = ids.get(term);
    if (t === undefined) continue;
    for (let p = offsets[t]!; p < offsets[t + 1]!; p++) {
      scores[docs[p]!]! += impacts[p]!;
      touched.add(docs[p]!);
    }
  }
  return [...touched]
    .filter((d) => !allow || allow(d))
    .map((doc) => ({ doc, score: scores[doc]! }))
    .sort((a, b) => b.score - a.score || a.doc - b.doc)
    .slice(0, Math.max(k, 0));
}

/** Random postings: a few terms in most documents, many rare ones; impacts on a coarse grid, so scores tie often. */
function randomIndex(random: () => number, docCount: number, termCount: number): LexicalIndex {
  const terms = Array.from({ length: termCount }, (_, t) => `t${t}`);
  const offsets = new Uint32Array(termCount + 1);
  const docs: number[] = [];
  const impacts: number[] = [];
  const maxImpact = new Float32Array(termCount);
  for (let t = 0; t < termCount; t++) {
    const density = t < 3 ? 0.9 : t < 10 ? 0.3 : 0.02;
    for (let d = 0; d < docCount; d++) {
      if (random() < density) {
        docs.push(d);
        impacts.push(Math.fround(Math.ceil(random() * 8) * (t < 3 ? 0.1 : 0.7)));
      }
    }
    offsets[t + 1] = docs.length;
    maxImpact[t] = 6;
  }
  const arrays: LexicalArrays = { terms, offsets, docs: Uint32Array.from(docs), impacts: Float32Array.from(impacts), maxImpact, docCount };
  return new LexicalIndex(arrays);
}

describe('lexical top-k with MaxScore pruning', () => {
  it('returns exactly what scoring every posting returns, ties included, on random indexes and queries', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 20; round++) {
      const index = randomIndex(random, 300 + Math.floor(random() * 700), 40);
      for (let i = 0; i < 50; i++) {
        const length = 1 + Math.floor(random() * 6);
        const terms = Array.from({ length }, () => (random() < 0.05 ? 'unknown' : `t${Math.floor(random() ** 2 * 40)}`));
        const k = [1, 3, 10, 50, 2000][Math.floor(random() * 5)]!;
        const modulo = 2 + Math.floor(random() * 3);
        const allow = random() < 0.3 ? (d: number) => d % modulo !== 0 : undefined;
        expect(index.search(terms, k, allow).matches, `${terms.join(' ')} k=${k}`).toEqual(exhaustive(index, terms, k, allow));
      }
    }
  });

  it('counts a repeated term once per occurrence, like the exhaustive sum', () => {
    const index = randomIndex(seededRandom(3), 200, 20);
    for (const terms of [['t0', 't0'], ['t5', 't1', 't5'], ['t12', 't12', 't12', 't0']]) {
      expect(index.search(terms, 10).matches).toEqual(exhaustive(index, terms, 10));
    }
  });

  it('returns nothing for k = 0 or only unknown terms, and still reports the reachable bound', () => {
    const index = randomIndex(seededRandom(5), 100, 10);
    expect(index.search(['t1'], 0).matches).toEqual([]);
    const none = index.search(['nope', 'nada'], 10);
    expect(none.matches).toEqual([]);
    expect(none.bound).toBeGreaterThan(0);
  });

  describe('over a synthetic knowledge base', () => {
    let dir: string;
    let retriever: BuiltRetriever;
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-lexical-'));
      await synthesizeKnowledgeBase({ from: path.join(PROJECT_ROOT, 'knowledge-base'), out: path.join(dir, 'kb'), items: 400, seed: 2 });
      const { kb } = await loadKnowledgeBase(path.join(dir, 'kb'));
      if (!kb) throw new Error('the synthetic knowledge base does not load');
      retriever = await buildRetriever(kb);
    }, 120_000);
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('ranks the dev queries exactly as the exhaustive scorer', () => {
      const queries = readLabelledQueries(path.join(PROJECT_ROOT, 'server/retrieval/fixtures/dev-queries.yaml'));
      for (const { q } of queries) {
        const terms = retriever.analyzer.queryTerms(retriever.analyze(q));
        for (const k of [1, 10, 50]) expect(retriever.index!.lexical.search(terms, k).matches, q).toEqual(exhaustive(retriever.index!.lexical, terms, k));
      }
    });

    it('ranks random queries of common and rare terms exactly as the exhaustive scorer, with and without a kind filter', () => {
      const random = seededRandom(11);
      const vocabulary = retriever.index!.lexical.arrays.terms;
      const { offsets } = retriever.index!.lexical.arrays;
      const byFrequency = vocabulary.map((_, t) => t).sort((a, b) => offsets[b + 1]! - offsets[b]! - (offsets[a + 1]! - offsets[a]!));
      const pick = () => vocabulary[byFrequency[Math.floor(random() ** 3 * byFrequency.length)]!]!;
      const itemsOnly = (d: number) => retriever.documents[d]!.kind === 'item';
      for (let i = 0; i < 300; i++) {
        const terms = Array.from({ length: 1 + Math.floor(random() * 8) }, pick);
        const allow = i % 3 === 0 ? itemsOnly : undefined;
        expect(retriever.index!.lexical.search(terms, 50, allow).matches, terms.join(' ')).toEqual(exhaustive(retriever.index!.lexical, terms, 50, allow));
      }
    });
  });
});
