/**
 * Dialogue flow through POST /api/chat: a long situational question that names no service follows the
 * retriever's lead only when the retriever is clear about it; short follow-ups stay on the current service;
 * unsafe requests with words between 假的 and the document are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type { DetailedRetriever, Retriever, SearchConfidence } from '../retrieval/types.ts';
import { loadFixtureKb } from './__fixtures__/kb-fixture.ts';
import { createFixtureRetriever } from './__fixtures__/retriever.ts';
import { buildTestApp, type TestApp } from './__fixtures__/test-app.ts';
import { routeIntent } from './intents.ts';
import type { ChatReply } from './reply.ts';

/** The fixture retriever with the detailed search the real one has, reporting a confidence the test sets. */
function detailed(base: Retriever, confidence: () => SearchConfidence): DetailedRetriever {
  return {
    kbHash: base.kbHash,
    analyze: (q) => base.analyze(q),
    search: (q, o) => base.search(q, o),
    async searchDetailed(q, o) {
      return { analyzed: base.analyze(q), hits: await base.search(q, o), confidence: confidence(), unknownTerms: [], nouns: [] };
    },
  };
}

let kb: KnowledgeBase;
let app: TestApp;
let confidence: SearchConfidence;
const CLEAR: SearchConfidence = { top: 0.7, margin: 0.2, lexicalCoverage: 0.7, vectorSimilarity: 0.7 };
const WEAK: SearchConfidence = { top: 0.3, margin: 0.02, lexicalCoverage: 0.3, vectorSimilarity: 0.3 };

beforeAll(async () => {
  kb = await loadFixtureKb();
  app = await buildTestApp(kb, { retriever: detailed(createFixtureRetriever(kb), () => confidence) });
});
afterAll(async () => app.http.close());

async function chat(message: string, sessionId?: string): Promise<ChatReply> {
  const res = await app.http.inject({ method: 'POST', url: '/api/chat', payload: { message, ...(sessionId ? { sessionId } : {}) } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ChatReply;
}

describe('long situational questions', () => {
  const situational = '刚买了房子 首付款想用两口子账户里的钱付 能行吗';

  it('follow the retriever when it is clear about one service, instead of asking which', async () => {
    confidence = CLEAR;
    const r = await chat(situational);
    expect(r.status).toBe('answered');
    expect(r.item?.id).toBe('hf-withdraw-purchase');
  });

  it('still ask when the lead of the retriever is only a weak guess', async () => {
    confidence = WEAK;
    const r = await chat(situational);
    expect(r.status).toBe('clarify');
    expect(r.options?.map((o) => o.id)).toEqual(expect.arrayContaining(['hf-withdraw-purchase', 'hf-loan-apply']));
  });
});

describe('follow-ups', () => {
  it('keep the current service for a short aspect question the retriever would place elsewhere', async () => {
    confidence = CLEAR;
    const first = await chat('公积金贷款要什么条件');
    expect(first.item?.id).toBe('hf-loan-apply');
    const next = await chat('多久能收到', first.sessionId);
    expect(next).toMatchObject({ status: 'answered', intent: 'aspect:timeLimit', item: { id: 'hf-loan-apply' } });
    const online = await chat('网上能办吗', first.sessionId);
    expect(online).toMatchObject({ status: 'answered', item: { id: 'hf-loan-apply' } });
  });

  it('move to another service the question names', async () => {
    confidence = CLEAR;
    const first = await chat('公积金贷款要什么条件');
    const next = await chat('居住证丢了补办多久', first.sessionId);
    expect(next.item?.id).toBe('residence-permit-reissue');
  });
});

describe('service hours', () => {
  it('tell when the assistant and the navigators can be reached, from the knowledge base\'s calendar (the fixture\'s closes at 18:00)', async () => {
    for (const [q, lang, hours] of [['你们几点下班', 'zh', '周一至周五 09:00–18:00'], ['人工客服几点上班', 'zh', '周一至周五 09:00–18:00'], ['周末有人工吗', 'zh', '法定节假日除外'],
      ['What are your opening hours?', 'en', 'Monday to Friday 09:00–18:00'], ['When can I talk to a person?', 'en', 'Monday to Friday']] as const) {
      const r = await chat(q);
      expect(r, q).toMatchObject({ status: 'answered', intent: 'service-hours', lang, citations: [] });
      expect(r.answer, q).toContain(hours);
    }
  });

  it('leave an office\'s hours to the service and a request for a person to the handoff', () => {
    expect(routeIntent('派出所几点上班')).toBeUndefined();
    expect(routeIntent('出入境大厅周末上班吗')).toBeUndefined();
    expect(routeIntent('转人工')).toBe('human-request');
    expect(routeIntent('人工客服的服务时间')).toBe('service-hours');
  });
});

describe('unsafe requests', () => {
  it('refuse a forged document with words between 假的 and the document', async () => {
    confidence = CLEAR;
    for (const q of ['怎么办个假的租房合同', '能不能弄个假的在职证明']) {
      const r = await chat(q);
      expect(r, q).toMatchObject({ status: 'refused', intent: 'unsafe', citations: [] });
    }
  });

  it('do not mistake leave certificates (婚假证明, 请假的证明) for forgery', () => {
    for (const q of ['婚假证明去哪开', '请假的证明怎么开', '产假证明需要什么材料', '寒假期间学校证明']) expect(routeIntent(q), q).toBeUndefined();
    expect(routeIntent('哪里能办假证')).toBe('unsafe');
  });
});
