/**
 * Family-level vagueness and precision over recall, through /api/chat: a question in a family's own words is
 * clarified with the members even when one member's alias says it word for word; "办X" asks to get one; the
 * conversation's member settles a tie; an item the retriever leads to by a small margin is not answered when a
 * word of the question is named by another candidate only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type { DetailedRetriever, Retriever, SearchConfidence } from '../retrieval/types.ts';
import { loadFixtureKb } from './__fixtures__/kb-fixture.ts';
import { createFixtureRetriever } from './__fixtures__/retriever.ts';
import { buildTestApp, type TestApp } from './__fixtures__/test-app.ts';
import type { ChatReply } from './reply.ts';

const PERMITS = ['residence-permit-endorsement', 'residence-permit-first', 'residence-permit-reissue', 'residence-permit-renewal'];

const offered = (r: ChatReply) => (r.options ?? []).map((o) => o.id).sort();

/** The fixture KB with one member given an alias that is only the family's word and a verb (a KB slip). */
function withFamilyAlias(kb: KnowledgeBase, itemId: string, alias: string): KnowledgeBase {
  const copy = structuredClone(kb);
  copy.itemsById.get(itemId)!.aliases.push(alias);
  return copy;
}

/** The fixture retriever with the detailed search the built-in one has, at a chosen confidence. */
function detailed(base: Retriever, confidence: Omit<SearchConfidence, 'lexicalCoverage' | 'vectorSimilarity'>): DetailedRetriever {
  return Object.assign(Object.create(base) as Retriever, {
    async searchDetailed(query: string, options?: { k?: number }) {
      return { analyzed: base.analyze(query), hits: await base.search(query, options), confidence: { ...confidence, lexicalCoverage: confidence.top, vectorSimilarity: confidence.top }, unknownTerms: [], nouns: [] };
    },
  });
}

describe('family-level questions', () => {
  let kb: KnowledgeBase;
  let app: TestApp;
  beforeAll(async () => {
    kb = withFamilyAlias(await loadFixtureKb(), 'residence-permit-first', '居住证怎么弄');
    app = await buildTestApp(kb);
  });
  afterAll(async () => app.http.close());

  it('clarifies with every member when the question is the family word, even when it is one member alias', async () => {
    for (const q of ['居住证怎么弄', '居住证怎么办', '居住证在哪办']) {
      const r = await app.chat(q);
      expect(r.status, q).toBe('clarify');
      expect(r.intent, q).toBe('clarify-family');
      expect(offered(r), q).toEqual(PERMITS);
      expect(r.item, q).toBeUndefined();
    }
  });

  it('answers the member a distinctive action names, and the first application for "办X"', async () => {
    expect((await app.chat('居住证丢了怎么弄')).item?.id).toBe('residence-permit-reissue');
    expect((await app.chat('居住证快到期了怎么弄')).item?.id).toBe('residence-permit-endorsement');
    const get = await app.chat('想办个居住证要多久');
    expect(get.status).toBe('answered');
    expect(get.item?.id).toBe('residence-permit-first');
  });

  it('takes the member the conversation is about when the follow-up does not tell them apart', async () => {
    const first = await app.chat('居住证丢了怎么补办');
    expect(first.item?.id).toBe('residence-permit-reissue');
    const next = await app.chat('居住证怎么弄', first.sessionId);
    expect(next.status).toBe('answered');
    expect(next.item?.id).toBe('residence-permit-reissue');
  });
});

describe('precision over recall when the retriever leads', () => {
  // two services in one breath, neither named: a home loan's down payment and registering where one lives
  const question = '刚来北京住下 要登个记 首付款怎么弄';
  let kb: KnowledgeBase;
  beforeAll(async () => {
    kb = await loadFixtureKb();
  });

  it('answers the lead when the retriever is well ahead, and clarifies with the candidate naming the other word when it is not', async () => {
    const base = createFixtureRetriever(kb);
    const sure = await buildTestApp(kb, { retriever: detailed(base, { top: 0.8, margin: 0.3 }) });
    const close = await buildTestApp(kb, { retriever: detailed(base, { top: 0.6, margin: 0.12 }) });
    try {
      const a = await sure.chat(question);
      const b = await close.chat(question);
      expect(a.status === 'answered' || a.status === 'checklist').toBe(true);
      expect(b.status).toBe('clarify');
      // the lead and the service that names what the lead does not (登记 → residence registration)
      expect(a.item?.id).toBe('hf-loan-apply');
      expect(offered(b)).toEqual(['hf-loan-apply', 'residence-registration']);
      expect(b.item).toBeUndefined();
    } finally {
      await sure.http.close();
      await close.http.close();
    }
  });
});
