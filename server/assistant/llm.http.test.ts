import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../testing/fake-openai.ts';
import { loadFixtureKb } from './__fixtures__/kb-fixture.ts';
import { buildTestApp, type TestApp } from './__fixtures__/test-app.ts';
import { createLlmComposer } from './compose-llm.ts';
import type { ChatReply } from './reply.ts';

let kb: KnowledgeBase;
let fake: FakeOpenAI;
let app: TestApp;

beforeAll(async () => {
  kb = await loadFixtureKb();
  fake = await startFakeOpenAI();
  app = await buildTestApp(kb, { composer: createLlmComposer({ baseUrl: fake.baseURL, apiKey: 'test', model: 'fake-model', timeoutMs: 1500 }) });
});
afterAll(async () => {
  await app.http.close();
  await fake.close();
});
afterEach(() => fake.setReplier(undefined));

const QUESTION = '北京市居住证首次申领要多长时间';

async function ask(message = QUESTION): Promise<ChatReply> {
  const res = await app.http.inject({ method: 'POST', url: '/api/chat', payload: { message } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ChatReply;
}

describe('LLM composer over a real OpenAI-compatible endpoint', () => {
  it('uses the model answer when it cites the retrieved item and keeps its figures', async () => {
    fake.script('首次申领居住证，公安机关自受理之日起**15日**内制作完成 [[residence-permit-first]]。');
    const r = await ask();
    expect(r.answer).toBe('首次申领居住证，公安机关自受理之日起**15日**内制作完成。');
    expect(r.citations[0]?.id).toBe('residence-permit-first');
    const sent = fake.chatRequests().at(-1)!.body as { model: string; messages: Array<{ role: string; content: string }> };
    expect(sent.model).toBe('fake-model');
    expect(sent.messages[0]?.role).toBe('system');
    expect(sent.messages[0]?.content).toContain('京通导办助手');
    // retrieved context only: the item's fields, not other items
    expect(sent.messages[1]?.content).toContain('[[residence-permit-first]]');
    expect(sent.messages[1]?.content).not.toContain('[[residence-permit-reissue]]');
  });

  it('rejects a hallucinated figure and falls back to the extractive answer', async () => {
    fake.script('首次申领居住证一般 7 个工作日即可办好 [[residence-permit-first]]。');
    const r = await ask();
    expect(r.answer).not.toContain('7 个工作日');
    expect(r.answer).toContain('**15个自然日**');
  });

  it('rejects a citation outside the retrieved set', async () => {
    fake.script('15日内办结 [[some-other-item]]。');
    const r = await ask();
    expect(r.answer).toContain('承诺办结时限');
    expect(r.citations.map((c) => c.id)).toEqual(['residence-permit-first']);
  });

  it('falls back on a server error and on a timeout, within the budget', async () => {
    fake.script({ failStatus: 500 });
    expect((await ask()).answer).toContain('承诺办结时限');
    fake.script({ hang: true });
    const r = await ask();
    expect(r.answer).toContain('承诺办结时限');
    expect(r.status).toBe('answered');
  });

  it('streams model text sentence by sentence', async () => {
    fake.script({ content: '首次申领居住证自受理之日起15日内制作。[[residence-permit-first]] 可以网上预审。', chunks: ['首次申领居住证', '自受理之日起15日内制作。[[residence-', 'permit-first]] 可以', '网上预审。'] });
    const res = await app.http.inject({ method: 'POST', url: '/api/chat/stream', payload: { message: QUESTION } });
    const events = res.body.trim().split('\n\n').map((b) => ({ event: b.split('\n')[0]!.slice(7), data: JSON.parse(b.split('\n')[1]!.slice(6)) }));
    const deltas = events.filter((e) => e.event === 'delta').map((e) => e.data.text as string);
    expect(deltas).toEqual(['首次申领居住证自受理之日起15日内制作。', ' 可以网上预审。']);
    expect((events.at(-1)!.data as ChatReply).answer).toBe('首次申领居住证自受理之日起15日内制作。 可以网上预审。');
    expect((fake.chatRequests().at(-1)!.body as { stream: boolean }).stream).toBe(true);
  });

  it('withdraws streamed text when a later sentence fails the figure check', async () => {
    fake.script({ content: '', chunks: ['居住证可以网上预审。', '一般3天就能拿到。'] });
    const res = await app.http.inject({ method: 'POST', url: '/api/chat/stream', payload: { message: QUESTION } });
    const events = res.body.trim().split('\n\n').map((b) => ({ event: b.split('\n')[0]!.slice(7), data: JSON.parse(b.split('\n')[1]!.slice(6)) }));
    const names = events.map((e) => e.event);
    expect(names.indexOf('reset')).toBeGreaterThan(names.indexOf('delta'));
    const done = events.at(-1)!.data as ChatReply;
    expect(done.answer).toContain('**15个自然日**');
    expect(done.answer).not.toContain('3天');
  });
});

describe('OpenAI-compatible endpoint', () => {
  let base: string;
  beforeAll(async () => {
    base = await app.http.listen({ port: 0, host: '127.0.0.1' });
  });

  it('answers the official openai client, keeping the session per user', async () => {
    fake.setReplier(() => ({ failStatus: 503 })); // the composer falls back: answers stay extractive
    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'unused' });
    const first = await client.chat.completions.create({ model: 'daoban', user: 'citizen-1', messages: [{ role: 'user', content: QUESTION }] });
    expect(first.choices[0]?.message.content).toContain('15个自然日');
    const daoban = (first as unknown as { daoban: ChatReply }).daoban;
    expect(daoban.item?.id).toBe('residence-permit-first');
    const follow = await client.chat.completions.create({
      model: 'daoban', user: 'citizen-1',
      messages: [{ role: 'user', content: QUESTION }, { role: 'assistant', content: '…' }, { role: 'user', content: '那在哪里办？' }],
    });
    expect((follow as unknown as { daoban: ChatReply }).daoban).toMatchObject({ sessionId: daoban.sessionId, intent: 'aspect:where' });
  });

  it('streams OpenAI chunks ending with [DONE]', async () => {
    fake.setReplier(() => ({ failStatus: 503 }));
    const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'unused' });
    const stream = await client.chat.completions.create({ model: 'daoban', stream: true, messages: [{ role: 'user', content: '你好' }] });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    expect(text).toContain('京通导办助手');
  });

  it('rejects bad requests with 400 naming the field', async () => {
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const cases: Array<[unknown, string, Record<string, string>?]> = [
      [{}, 'messages'],
      [{ messages: [] }, 'messages'],
      [{ messages: [{ role: 'system', content: 'x' }] }, 'messages'],
      [{ messages: [{ role: 'user', content: '' }] }, 'messages.0.content'],
      [{ messages: [{ role: 'user', content: 'x'.repeat(2001) }] }, 'messages.0.content'],
      [{ messages: [{ role: 'user', content: 'hi' }], stream: 'yes' }, 'stream'],
      [{ messages: [{ role: 'user', content: 'hi' }] }, 'sessionId', { 'x-daoban-session': 'missing-session' }],
    ];
    for (const [body, field, headers] of cases) {
      const res = await post(body, headers);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(field);
    }
  });
});
