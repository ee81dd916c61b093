import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Analyzer, analyzerRulesFingerprint } from './analyzer.ts';
import { buildCorpus } from './corpus.ts';
import { lsaQueryOf } from './embedders.ts';
import type { LsaEmbeddings } from './lsa-embeddings.ts';
import { buildDocuments, FIELDS, type SearchDocument } from './documents.ts';
import { fuse } from './fusion.ts';
import { buildRetriever, type BuiltRetriever } from './index.ts';
import { LexicalIndex } from './lexical.ts';
import { TYPO_TABLE } from './normalize.ts';
import { miniKnowledgeBase } from './fixtures/mini-kb.ts';
import { getSegmenter } from './segmenter.ts';

const tmpDirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-retrieval-'));
  tmpDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

let retriever: BuiltRetriever;
beforeAll(async () => {
  retriever = await buildRetriever(miniKnowledgeBase(), { cacheDir: tempDir() });
});

const ids = async (q: string, opts = {}) => (await retriever.search(q, opts)).map((h) => h.docId);

describe('BM25F lexical leg', () => {
  const doc = (docId: string, fields: Partial<Record<(typeof FIELDS)[number], string>>): SearchDocument => ({
    docId,
    kind: 'item',
    refId: docId,
    title: docId,
    fields: { title: '', aliases: '', keywords: '', summary: '', body: '', context: '', english: '', ...fields },
  });
  const analyzer = new Analyzer(getSegmenter(), [], []);
  const index = (docs: SearchDocument[]) =>
    LexicalIndex.build(buildCorpus(docs, (t) => analyzer.termsForIndex(t), (t) => t));

  it('ranks a term in the title above the same term in the body', () => {
    const docs = [
      doc('body', { title: '材料清单', body: '护照 相关 说明 文字' }),
      doc('title', { title: '护照', body: '材料清单 相关 说明 文字' }),
    ];
    const { matches } = index(docs).search(['护照'], 10);
    expect(matches.map((m) => docs[m.doc]!.docId)).toEqual(['title', 'body']);
    expect(matches[0]!.score).toBeGreaterThan(matches[1]!.score);
  });

  it('scores a translated service for Chinese questions as before its translation: English prose has a field of its own', () => {
    const kb = miniKnowledgeBase();
    const item = kb.items.find((i) => i.summaryEn === undefined)!;
    const translated = { ...kb, items: kb.items.map((i) => (i === item ? { ...i, summaryEn: 'A long English summary of the service, '.repeat(8), conditionsEn: ['An English condition'] } : i)) };
    const score = (docs: SearchDocument[]) => {
      const terms = analyzer.queryTerms(analyzer.analyze(item.summary));
      const n = docs.findIndex((d) => d.docId === `item:${item.id}`);
      const idx = index(docs);
      return idx.scoreOf(idx.numbered(terms), n);
    };
    const before = buildDocuments(kb);
    const after = buildDocuments(translated);
    expect(after.find((d) => d.docId === `item:${item.id}`)!.fields.english).toContain('English summary');
    expect(score(after)).toBeCloseTo(score(before), 6);
  });

  it('ranks a term in the aliases above the same term in the summary', () => {
    const docs = [doc('summary', { title: '甲', summary: '暂住证' }), doc('alias', { title: '乙', aliases: '暂住证' })];
    expect(index(docs).search(['暂住证'], 10).matches.map((m) => docs[m.doc]!.docId)).toEqual(['alias', 'summary']);
  });

  it('prefers a rare term to a common one (idf), and a short field to a long one', () => {
    const docs = [
      doc('a', { title: '办理 签注' }),
      doc('b', { title: '办理 登记' }),
      doc('c', { title: '办理 登记 另外 一些 很多 其他 的 词语' }),
    ];
    const idx = index(docs);
    expect(idx.search(['办理', '签注'], 10).matches.map((m) => docs[m.doc]!.docId)[0]).toBe('a');
    expect(idx.search(['登记'], 10).matches.map((m) => docs[m.doc]!.docId)).toEqual(['b', 'c']);
  });

  it('reports the best reachable score and matched terms', () => {
    const docs = [doc('x', { title: '护照 签注' }), doc('y', { body: '护照' })];
    const idx = index(docs);
    const { matches, bound } = idx.search(['护照', '签注', '未知'], 10);
    expect(bound).toBeGreaterThan(matches[0]!.score);
    expect([...idx.impactsOf(idx.numbered(['护照', '签注', '未知']), [matches[0]!.doc])].map((x) => x > 0)).toEqual([true, true, false]);
    expect(idx.scoreOf(idx.numbered(['护照', '签注']), matches[0]!.doc)).toBeCloseTo(matches[0]!.score, 5);
    expect(idx.scoreOf(idx.numbered(['未知', '护照', '签注']), matches[0]!.doc)).toBeCloseTo(matches[0]!.score, 5);
  });

  it('works out many documents\' impacts at once, in any order, summing to the scores the ranking gives them', () => {
    const docs = Array.from({ length: 40 }, (_, i) => doc(`d${i}`, { title: i % 3 ? '护照 签注' : '户口', body: i % 2 ? '护照 办理' : '登记', summary: i % 5 ? '' : '签注 签注' }));
    const idx = index(docs);
    const numbered = idx.numbered(['签注', '未知', '护照', '登记', '护照']);
    const wanted = [37, 2, 15, 0, 39, 16, 3];
    const impacts = idx.impactsOf(numbered, wanted);
    const ranked = new Map(idx.search(numbered.terms, docs.length).matches.map((m) => [m.doc, m.score]));
    wanted.forEach((d, row) => {
      const rowImpacts = [...impacts.subarray(row * 5, row * 5 + 5)];
      let sum = 0;
      for (const x of rowImpacts) sum += x;
      expect(sum).toBe(idx.scoreOf(numbered, d));
      expect(sum).toBeCloseTo(ranked.get(d)!, 5);
      expect(rowImpacts.map((x) => x > 0)).toEqual([d % 3 !== 0 || d % 5 === 0, false, d % 3 !== 0 || d % 2 === 1, d % 2 === 0, d % 3 !== 0 || d % 2 === 1]);
    });
  });
});

describe('hybrid retriever over a small knowledge base', () => {
  it('finds an item by its title, an alias and a colloquial question', async () => {
    expect((await ids('居住证签注'))[0]).toBe('item:residence-permit-endorsement');
    expect((await ids('暂住证怎么办'))[0]).toBe('item:residence-permit-first');
    expect((await ids('户口本丢了'))[0]).toBe('item:hukou-booklet-replace');
  });

  it('matches through synonyms in both directions (公积金 ↔ 住房公积金, 社保 ↔ 社会保险)', async () => {
    const fund = await retriever.search('公积金交房租', { k: 3 });
    expect(fund[0]!.itemId).toBe('hf-withdraw-rent');
    expect(fund[0]!.matchedTerms).toContain('住房公积金');
    const social = await retriever.search('打印社保记录', { k: 3 });
    expect(social[0]!.itemId).toBe('si-payment-record');
    const canonical = await retriever.search('社会保险断缴', { k: 3, kinds: ['faq'] });
    expect(canonical[0]!.docId).toBe('faq:faq-si-break'); // the FAQ says 社保断缴
  });

  it('tells the query\'s nouns no document has from those some document has', async () => {
    const result = await retriever.searchDetailed('护士的身份证丢了');
    expect(result.unknownTerms).toEqual(['护士']);
    expect(result.nouns).toEqual([{ text: '护士', known: false }, { text: '身份证', known: true }]);
  });

  it('tags the query\'s words only when its nouns are read, and once', async () => {
    const segmenter = retriever.analyzer.segmenter;
    const tag = segmenter.nouns;
    let tagged = 0;
    segmenter.nouns = (text: string) => (tagged++, tag.call(segmenter, text));
    try {
      const result = await retriever.searchDetailed('身份证丢了怎么补办');
      expect(result.unknownTerms).toEqual([]);
      expect(tagged).toBe(0);
      expect(result.nouns.map((n) => n.known)).toEqual(result.nouns.map(() => true));
      expect(result.nouns).toBe(result.nouns);
      expect(tagged).toBe(1);
    } finally {
      segmenter.nouns = tag;
    }
  });

  it('answers traditional characters and typos like their simplified, correct forms', async () => {
    expect((await ids('居住證簽注'))[0]).toBe('item:residence-permit-endorsement');
    expect((await ids('户口薄补办'))[0]).toBe('item:hukou-booklet-replace');
  });

  it('answers English queries from the English fields', async () => {
    expect((await ids('register a company'))[0]).toBe('item:company-setup');
    expect((await ids('how long is the residence permit valid', { kinds: ['item-faq'] }))[0]).toBe('item-faq:residence-permit-first#1');
  });

  it('filters by kind', async () => {
    const faqs = await retriever.search('公积金', { kinds: ['faq'] });
    expect(faqs.length).toBeGreaterThan(0);
    expect(faqs.every((h) => h.kind === 'faq')).toBe(true);
    const policies = await retriever.search('居住证 条例', { kinds: ['policy'], mode: 'vector' });
    expect(policies.map((h) => h.docId)).toEqual(['policy:residence-permit-interim-regulations']);
  });

  it('runs each leg alone and fuses them', async () => {
    const lexical = await retriever.search('暂住证', { mode: 'lexical' });
    expect(lexical.every((h) => h.lexical && !h.vector)).toBe(true);
    const vector = await retriever.search('暂住证', { mode: 'vector', k: 5 });
    expect(vector).toHaveLength(5);
    expect(vector.every((h) => h.vector && !h.lexical)).toBe(true);
    expect(vector[0]!.vector!.score).toBeGreaterThanOrEqual(vector[4]!.vector!.score);
    const hybrid = await retriever.search('暂住证', { k: 5 });
    expect(hybrid.some((h) => h.lexical && h.vector)).toBe(true);
  });

  it('embeds a query read on one thread and projected on another exactly as the embedder does it in one go', async () => {
    const embeddings = retriever.embeddings as LsaEmbeddings;
    for (const q of ['居住证续签要什么材料', '暂住证', 'residence permit renewal', '護照過期了怎麼辦']) {
      const normalized = retriever.analyze(q).normalized;
      const inOneGo = await embeddings.embedQuery(normalized);
      // nothing the model knows (护照 in this knowledge base): no vector, where embedQuery gives zeros
      expect(embeddings.queryVector(lsaQueryOf(retriever.analyzer, normalized)), q).toEqual(inOneGo.some((x) => x !== 0) ? inOneGo : undefined);
    }
    expect(embeddings.queryVector(lsaQueryOf(retriever.analyzer, '護照過期了怎麼辦'))).toBeUndefined();
  });

  it('fills in a missing vector score from its own (quantised) copy of the stored vectors, within 0.01 of the cosine with hnswlib\'s point', async () => {
    const query = await retriever.embeddings!.embedQuery(retriever.analyze('居住证续签').normalized);
    const { index } = retriever.index!.vectors.store;
    for (let doc = 0; doc < retriever.index!.vectors.size; doc++) {
      const point = index.getPoint(doc);
      let dot = 0;
      let nq = 0;
      let np = 0;
      point.forEach((p, i) => {
        dot += query[i]! * p;
        nq += query[i]! * query[i]!;
        np += p * p;
      });
      expect(Math.abs(retriever.index!.vectors.similarity(query, doc) - dot / Math.sqrt(nq * np))).toBeLessThan(0.01);
    }
    expect(() => retriever.index!.vectors.similarity(query, retriever.index!.vectors.size)).toThrow(RangeError);
  });

  it('the vector leg finds documents that share no query word through co-occurrence', async () => {
    // "非京籍" occurs only in the first-application item's keywords, next to 居住证 and 居住登记.
    const hits = await retriever.search('非京籍', { mode: 'vector', k: 3 });
    expect(hits.map((h) => h.itemId)).toContain('residence-permit-first');
  });

  it('exposes a confidence signal: high and clear for a precise question, low for an unrelated one', async () => {
    const precise = await retriever.searchDetailed('户口本丢了怎么补办');
    expect(precise.confidence.top).toBeGreaterThan(0.5);
    expect(precise.confidence.margin).toBeGreaterThan(0.1);
    const unrelated = await retriever.searchDetailed('今天天气怎么样适合钓鱼');
    expect(unrelated.confidence.top).toBeLessThan(precise.confidence.top / 2);
  });

  it('returns nothing for empty or stop-word-only queries, and clamps k', async () => {
    expect(await retriever.search('')).toEqual([]);
    expect(await retriever.search('怎么办？')).toEqual([]);
    expect((await retriever.search('办理', { k: 1000 })).length).toBeLessThanOrEqual(100);
    expect((await retriever.search('办理', { k: 0 })).length).toBe(1);
  });
});

describe('fusion', () => {
  it('reciprocal rank fusion puts a document both legs rank high first', () => {
    const fused = fuse(
      [{ doc: 1, score: 9 }, { doc: 2, score: 8 }, { doc: 5, score: 1 }],
      10,
      [{ doc: 3, score: 0.9 }, { doc: 2, score: 0.8 }, { doc: 4, score: 0.7 }],
    );
    expect(fused[0]!.doc).toBe(2);
    expect(fused.map((f) => f.doc).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(fused[0]!.lexical).toEqual({ rank: 2, score: 8 });
    expect(fused[0]!.vector).toEqual({ rank: 2, score: 0.8 });
  });

  it('the calibrated blend fills the missing leg score and stays within [0, 1]', () => {
    const fused = fuse([{ doc: 1, score: 5 }], 10, [{ doc: 2, score: 0.6 }], { method: 'blend', rrfK: 60, lexicalWeight: 0.5, kindPrior: [1, 1, 1, 1] }, {
      lexical: (d) => (d === 2 ? 10 : 0),
      vector: (d) => (d === 1 ? 0.2 : 0),
    });
    expect(fused.map((f) => f.doc)).toEqual([2, 1]);
    expect(fused[0]!.calibrated).toBeCloseTo(0.8, 6);
    expect(fused[1]!.calibrated).toBeCloseTo(0.35, 6);
  });
});

describe('persistence', () => {
  it('loads an unchanged knowledge base from the cache and answers identically', async () => {
    const cacheDir = tempDir();
    const kb = miniKnowledgeBase();
    const first = await buildRetriever(kb, { cacheDir });
    expect(first.stats.loadedFromCache).toBe(false);
    expect(fs.existsSync(path.join(first.stats.indexDir!, 'manifest.json'))).toBe(true);
    const second = await buildRetriever(kb, { cacheDir });
    expect(second.stats.loadedFromCache).toBe(true);
    expect(second.stats.indexDir).toBe(first.stats.indexDir);
    expect(second.stats.ef).toBe(first.stats.ef);
    expect(second.index!.vectors.store.index.getEf()).toBe(first.stats.ef);
    expect(second.index!.vectors.rows.codes).toEqual(first.index!.vectors.rows.codes);
    expect(second.index!.vectors.rows.scales).toEqual(first.index!.vectors.rows.scales);
    for (const q of ['暂住证怎么办', '公积金交房租', 'register a company', '社保断缴']) {
      for (const mode of ['hybrid', 'lexical', 'vector'] as const) {
        expect(await second.search(q, { mode })).toEqual(await first.search(q, { mode }));
      }
    }
    // Only the finished index is left behind: no temporary directories.
    expect(fs.readdirSync(cacheDir)).toEqual([path.basename(first.stats.indexDir!)]);
  });

  it('builds in a child process when asked, answering exactly like an in-process build', async () => {
    const kb = miniKnowledgeBase({ hash: 'e'.repeat(64) });
    const inProcess = await buildRetriever(kb, { cacheDir: tempDir(), isolateBuild: false });
    const cacheDir = tempDir();
    const isolated = await buildRetriever(kb, { cacheDir, isolateBuild: true });
    expect(inProcess.stats.builtInChild).toBe(false);
    expect(isolated.stats.builtInChild).toBe(true);
    expect(isolated.stats.loadedFromCache).toBe(false);
    expect(isolated.stats.documents).toBe(inProcess.stats.documents);
    for (const q of ['暂住证怎么办', '公积金交房租', 'register a company', '社保断缴']) {
      for (const mode of ['hybrid', 'lexical', 'vector'] as const) {
        expect(await isolated.search(q, { mode })).toEqual(await inProcess.search(q, { mode }));
      }
    }
    // The child's input file is gone; only the index is left.
    expect(fs.readdirSync(cacheDir)).toEqual([path.basename(isolated.stats.indexDir!)]);
    expect((await buildRetriever(kb, { cacheDir })).stats.loadedFromCache).toBe(true);
  });

  it('a changed knowledge base gets its own index', async () => {
    const cacheDir = tempDir();
    const a = await buildRetriever(miniKnowledgeBase({ hash: 'a'.repeat(64) }), { cacheDir });
    const b = await buildRetriever(miniKnowledgeBase({ hash: 'b'.repeat(64) }), { cacheDir });
    expect(b.stats.loadedFromCache).toBe(false);
    expect(b.stats.indexDir).not.toBe(a.stats.indexDir);
    expect(b.kbHash).toBe('b'.repeat(64));
  });

  it('keys the index by the analyzer\'s rules too: another typo table or stop-word list gets its own index', async () => {
    const fingerprint = analyzerRulesFingerprint();
    expect(analyzerRulesFingerprint(TYPO_TABLE)).toBe(fingerprint);
    expect(analyzerRulesFingerprint([...TYPO_TABLE, ['办里', '办理']])).not.toBe(fingerprint);
    expect(analyzerRulesFingerprint(TYPO_TABLE, ['的'])).not.toBe(fingerprint);
    expect(analyzerRulesFingerprint(TYPO_TABLE, undefined, ['the'])).not.toBe(fingerprint);
    const built = await buildRetriever(miniKnowledgeBase(), { cacheDir: tempDir() });
    expect(path.basename(built.stats.indexDir!)).toContain(`-a${fingerprint}-`);
  });

  it('rebuilds over a broken cache instead of failing', async () => {
    const cacheDir = tempDir();
    const kb = miniKnowledgeBase({ hash: 'c'.repeat(64) });
    const first = await buildRetriever(kb, { cacheDir });
    fs.writeFileSync(path.join(first.stats.indexDir!, 'lexical.bin'), 'truncated');
    const warnings: string[] = [];
    const logger = { info() {}, warn: (_: object, msg: string) => warnings.push(msg) };
    const second = await buildRetriever(kb, { cacheDir, logger });
    expect(second.stats.loadedFromCache).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(await second.search('暂住证')).toEqual(await first.search('暂住证'));
    const third = await buildRetriever(kb, { cacheDir });
    expect(third.stats.loadedFromCache).toBe(true);
  });

  it('ignores a leftover temporary directory from a crashed write', async () => {
    const cacheDir = tempDir();
    const kb = miniKnowledgeBase({ hash: 'd'.repeat(64) });
    fs.mkdirSync(path.join(cacheDir, `.tmp-${'d'.repeat(16)}-lsa128-f1-999-dead`), { recursive: true });
    const built = await buildRetriever(kb, { cacheDir });
    expect(built.stats.loadedFromCache).toBe(false);
    expect((await buildRetriever(kb, { cacheDir })).stats.loadedFromCache).toBe(true);
  });
});
