import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFixtureKb } from './__fixtures__/kb-fixture.ts';
import { buildTestApp, type TestApp } from './__fixtures__/test-app.ts';
import type { ChatReply } from './reply.ts';

let app: TestApp;

beforeAll(async () => {
  app = await buildTestApp(await loadFixtureKb());
});
afterAll(async () => app.http.close());

async function chat(message: string, sessionId?: string): Promise<ChatReply> {
  const res = await app.http.inject({ method: 'POST', url: '/api/chat', payload: { message, ...(sessionId ? { sessionId } : {}) } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ChatReply;
}

describe('the fact asked, once the service is known (POST /api/chat)', () => {
  it('answers a yes/no question from the FAQ that speaks of it, "no" first', async () => {
    const r = await chat('我爸妈买房 我能提公积金给他们吗');
    expect(r).toMatchObject({ status: 'answered', item: { id: 'hf-withdraw-purchase' } });
    expect(r.answer).toMatch(/不能/);
    expect(r.citations.map((c) => c.id)).toContain('hf-withdraw-purchase');
  });

  it('answers how many years a loan may run, not how much it may be', async () => {
    const r = await chat('公积金贷款最长能贷多少年');
    expect(r).toMatchObject({ status: 'answered', item: { id: 'hf-loan-apply' } });
    expect(r.answer).toContain('30年');
  });

  it('answers a deadline with the deadline, the processing time after it', async () => {
    const r = await chat('居住证签注要在到期前多少天办');
    expect(r).toMatchObject({ status: 'answered', item: { id: 'residence-permit-endorsement' } });
    expect(r.answer).toContain('30日');
  });

  it('answers a yes/no about one thing to bring instead of starting the checklist', async () => {
    const r = await chat('居住证签注还要带身份证吗');
    expect(r.status).toBe('answered');
    expect(r.checklist).toBeUndefined();
    expect(r.answer).toContain('居民身份证');
  });

  it('reads "当天能拿到证不" as a follow-up on the processing time', async () => {
    const a = await chat('补领居住证要多少钱');
    expect(a).toMatchObject({ status: 'answered', item: { id: 'residence-permit-reissue' } });
    expect(a.answer).toContain('20');
    const b = await chat('当天能拿到证不', a.sessionId);
    expect(b).toMatchObject({ status: 'answered', intent: 'aspect:timeLimit', item: { id: 'residence-permit-reissue' } });
    expect(b.answer).toContain('15');
  });
});
