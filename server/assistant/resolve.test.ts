/**
 * Which item or FAQ a question resolves to when the retriever is sure of its first hit: that sureness lets an FAQ
 * at the top answer even when its wording differs, but only an FAQ asking the same aspect as the question.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type { DetailedRetriever, QueryNoun, SearchHit } from '../retrieval/types.ts';
import { loadFixtureKb } from './__fixtures__/kb-fixture.ts';
import { createFixtureRetriever } from './__fixtures__/retriever.ts';
import { detectAspect, subjectOf } from './aspects.ts';
import { pickChoice, resolve } from './resolve.ts';

const ITEM = 'residence-permit-endorsement';
/** The endorsement's FAQ about fee and time, ranked first by a retriever sure of it. */
const FEE_FAQ = '签注要收费吗？多久能办好？';

let kb: KnowledgeBase;
let retriever: DetailedRetriever;
beforeAll(async () => {
  kb = await loadFixtureKb();
  const base = createFixtureRetriever(kb);
  const item = kb.itemsById.get(ITEM)!;
  const faqNumber = item.faqs.findIndex((f) => f.q === FEE_FAQ) + 1;
  const hits: SearchHit[] = [
    { docId: `item-faq:${ITEM}#${faqNumber}`, kind: 'item-faq', refId: ITEM, itemId: ITEM, title: FEE_FAQ, score: 0.9, matchedTerms: [] },
    { docId: `item:${ITEM}`, kind: 'item', refId: ITEM, itemId: ITEM, title: item.title, score: 0.8, matchedTerms: [] },
  ];
  retriever = Object.assign(Object.create(base) as DetailedRetriever, {
    async searchDetailed(query: string) {
      return { analyzed: base.analyze(query), hits, confidence: { top: 0.9, margin: 0.4, lexicalCoverage: 0.9, vectorSimilarity: 0.9 }, unknownTerms: [], nouns: [] };
    },
  });
});

async function resolveMessage(message: string) {
  const aspect = detectAspect(message);
  return resolve({ message, subject: subjectOf(message), kb, retriever, hasAspect: !!aspect, ...(aspect ? { aspect } : {}) });
}

describe('a sure retriever and the FAQ it puts first', () => {
  it('answers with the FAQ a question of the same aspect, or of none, asks', async () => {
    for (const q of ['签注收钱吗', '居住证签注这事儿']) {
      const res = await resolveMessage(q);
      expect(res.kind, q).toBe('item-faq');
    }
  });

  it('does not let it answer a question about another aspect (where, not fee)', async () => {
    const res = await resolveMessage('签注去哪个窗口');
    expect(res.kind).toBe('item');
    expect(res.kind === 'item' && res.item.id).toBe(ITEM);
  });
});

describe('the noun a question is about', () => {
  /** A retriever putting the endorsement first, counting reads of the question's nouns. */
  function counting(unknownTerms: string[], nouns: QueryNoun[]): { retriever: DetailedRetriever; reads: () => number } {
    const base = createFixtureRetriever(kb);
    const item = kb.itemsById.get(ITEM)!;
    let reads = 0;
    const retriever = Object.assign(Object.create(base) as DetailedRetriever, {
      async searchDetailed(query: string) {
        return {
          analyzed: base.analyze(query), unknownTerms,
          hits: [{ docId: `item:${ITEM}`, kind: 'item' as const, refId: ITEM, itemId: ITEM, title: item.title, score: 0.8, matchedTerms: [] }],
          confidence: { top: 0.8, margin: 0.4, lexicalCoverage: 0.8, vectorSimilarity: 0.8 },
          get nouns() {
            reads++;
            return nouns;
          },
        };
      },
    });
    return { retriever, reads: () => reads };
  }
  const ask = (message: string, retriever: DetailedRetriever) =>
    resolve({ message, subject: subjectOf(message), kb, retriever, hasAspect: true, aspect: 'materials' });

  it('is not looked for when the knowledge base knows every word of the question (tagging costs a second segmentation)', async () => {
    const { retriever, reads } = counting([], [{ text: '居住证', known: true }]);
    expect(await ask('居住证签注要什么材料', retriever)).toMatchObject({ kind: 'item', item: { id: ITEM } });
    expect(reads()).toBe(0);
  });

  it('unknown to the knowledge base, turns away a service matched by the rest of the question', async () => {
    const { retriever, reads } = counting(['护士'], [{ text: '护士', known: false }]);
    expect((await ask('护士签注要什么材料', retriever)).kind).toBe('none');
    expect(reads()).toBe(1);
  });
});

describe('a reply picking one of the choices offered', () => {
  const choices = ['residence-permit-endorsement', 'residence-permit-first', 'residence-permit-reissue', 'residence-permit-renewal'];
  it('picks by position, in digits or Chinese numerals, or the last', () => {
    for (const [reply, id] of [['2', 'residence-permit-first'], ['第二个', 'residence-permit-first'], ['第2项', 'residence-permit-first'], ['选3', 'residence-permit-reissue'],
      ['二', 'residence-permit-first'], ['最后一个', 'residence-permit-renewal'], ['第一个吧', 'residence-permit-endorsement']] as const) {
      expect(pickChoice(kb, reply, choices), reply).toBe(id);
    }
  });
  it('picks nothing by a position beyond the choices or a number that is no position', () => {
    for (const reply of ['第九个', '10', '0', '一次']) expect(pickChoice(kb, reply, choices), reply).toBeUndefined();
  });
});

