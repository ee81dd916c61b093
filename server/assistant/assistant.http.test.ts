import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import { loadFixtureKb } from './__fixtures__/kb-fixture.ts';
import { buildTestApp, type TestApp } from './__fixtures__/test-app.ts';
import type { ChatReply } from './reply.ts';

let kb: KnowledgeBase;
let app: TestApp;

beforeAll(async () => {
  kb = await loadFixtureKb();
  app = await buildTestApp(kb);
});
afterAll(async () => app.http.close());

async function chat(message: string, sessionId?: string, lang?: 'zh' | 'en'): Promise<ChatReply> {
  const res = await app.http.inject({ method: 'POST', url: '/api/chat', payload: { message, ...(sessionId ? { sessionId } : {}), ...(lang ? { lang } : {}) } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ChatReply;
}

describe('routing: statuses and intents', () => {
  it('greets, thanks and says what it can do without touching the KB', async () => {
    const hi = await chat('你好');
    expect(hi).toMatchObject({ status: 'answered', intent: 'greeting', lang: 'zh', citations: [] });
    expect(hi.sessionId).toMatch(/[0-9a-f-]{36}/);
    expect((await chat('谢谢', hi.sessionId)).intent).toBe('thanks');
    expect((await chat('What can you do?')).intent).toBe('about');
  });

  it('greets in English when greeted with one English word; a bare code keeps the conversation language', async () => {
    for (const word of ['Hello', 'hi!', 'Thanks']) expect((await chat(word)).lang, word).toBe('en');
    expect((await chat('A1')).lang).toBe('zh');
  });

  it('sends emergencies to 110/119/120 at once, never a KB answer', async () => {
    const r = await chat('我家着火了怎么办');
    expect(r.status).toBe('refused');
    expect(r.intent).toBe('emergency');
    expect(r.answer).toContain('119');
    expect(r.answer).toContain('120');
    expect(r.citations).toEqual([]);
    const sh = await chat('我不想活了');
    expect(sh.intent).toBe('self-harm');
    expect(sh.answer).toContain('12356');
  });

  it('gives the police number to a fraud victim or someone asking how to call the police, not a service', async () => {
    for (const q of ['被骗了怎么报警', '遇到电信诈骗了', '报警电话是多少']) {
      const r = await chat(q);
      expect(r, q).toMatchObject({ status: 'refused', intent: 'emergency', citations: [] });
      expect(r.answer, q).toContain('110');
    }
    // whether a lost document needs a police report is a question about the service
    expect((await chat('居住证丢了要先报警吗')).intent).not.toBe('emergency');
  });

  it('refuses unsafe requests and declines out-of-scope ones', async () => {
    const forge = await chat('怎么伪造一个租房合同办居住证');
    expect(forge).toMatchObject({ status: 'refused', intent: 'unsafe', citations: [] });
    const tax = await chat('How can I evade tax on my company?');
    expect(tax).toMatchObject({ status: 'refused', lang: 'en' });
    for (const q of ['明天北京天气怎么样', '推荐一只股票', '讲个笑话']) {
      expect((await chat(q)).status).toBe('out_of_scope');
    }
  });

  it('explains the self-service channel for personal records and hands off on yes', async () => {
    const r = await chat('帮我查一下我的公积金余额');
    expect(r).toMatchObject({ status: 'handoff', intent: 'personal-record', handoff: { state: 'offered' } });
    expect(r.answer).toContain('京通');
    expect(r.options?.[0]?.value).toBe('转人工');
    const before = app.handoff.requests.length;
    const yes = await chat('好的', r.sessionId);
    expect(yes.status).toBe('handoff');
    expect(app.handoff.requests.slice(before)).toMatchObject([{ reason: 'personal-record', sessionId: r.sessionId }]);
  });

  it('knows a question about what one has paid in as a personal record, however it is put', async () => {
    for (const q of ['我的社保到现在交了多少个月了', '我公积金一共缴了几年']) {
      expect(await chat(q), q).toMatchObject({ status: 'handoff', intent: 'personal-record' });
    }
  });

  it('routes complaints to 12345 and a ticket through the handoff port', async () => {
    app.handoff.next = { state: 'ticket', ticketRef: 'T-20261122-0001' };
    const r = await chat('我要投诉派出所窗口工作人员态度差');
    app.handoff.next = { state: 'queued', position: 3, waitMinutes: { min: 4, max: 9 } };
    expect(r).toMatchObject({ status: 'handoff', intent: 'complaint' });
    expect(r.answer).toContain('12345');
    expect(r.answer).toContain('T-20261122-0001');
    expect(app.handoff.requests.at(-1)?.reason).toBe('complaint');
  });
});

describe('answers from the KB', () => {
  it('clarifies a family question with options, then answers the chosen item', async () => {
    const q = await chat('居住证怎么收费');
    expect(q.status).toBe('clarify');
    expect(q.intent).toBe('clarify-family');
    const ids = q.options?.map((o) => o.id) ?? [];
    expect(ids).toEqual(expect.arrayContaining(['residence-permit-first', 'residence-permit-endorsement', 'residence-permit-reissue', 'residence-permit-renewal']));
    const pick = q.options!.find((o) => o.id === 'residence-permit-reissue')!;
    const a = await chat(pick.value, q.sessionId);
    expect(a).toMatchObject({ status: 'answered', intent: 'aspect:fee', item: { id: 'residence-permit-reissue' } });
    expect(a.answer).toContain('20');
    expect(a.citations[0]).toMatchObject({ id: 'residence-permit-reissue', kind: 'item', updatedAt: kb.itemsById.get('residence-permit-reissue')!.updatedAt });
  });

  it('offers the same choices again for an aspect asked before picking, then answers that aspect', async () => {
    const q = await chat('居住证怎么收费');
    expect(q.intent).toBe('clarify-family');
    const online = await chat('网上能办吗', q.sessionId);
    expect(online).toMatchObject({ status: 'clarify', intent: 'clarify-repeat' });
    expect(online.answer).toContain('网上办理');
    expect(online.options).toEqual(q.options);
    expect(online.citations.map((c) => c.id)).toEqual(q.options!.map((o) => o.id));
    const pick = online.options!.find((o) => o.id === 'residence-permit-reissue')!;
    const a = await chat(pick.value, q.sessionId);
    expect(a).toMatchObject({ status: 'answered', intent: 'aspect:online', item: { id: 'residence-permit-reissue' } });
    // a new question naming a service is answered as one, not taken as a choice
    const other = await chat('网上能办吗', (await chat('居住证怎么收费')).sessionId);
    expect(other.intent).toBe('clarify-repeat');
    const en = await chat('How long does it take?', (await chat('居住证怎么收费', undefined, 'en')).sessionId, 'en');
    expect(en).toMatchObject({ status: 'clarify', intent: 'clarify-repeat', lang: 'en' });
    expect(en.answer).toContain('Processing time');
  });

  it('asks which service when a question names none (办证要什么材料)', async () => {
    const r = await chat('办证要什么材料');
    expect(r.status).toBe('clarify');
    expect(r.options!.length).toBeGreaterThanOrEqual(2);
  });

  it('answers the aspect asked, then follow-ups against the same item and language switches', async () => {
    const a = await chat('北京市居住证首次申领要多长时间');
    expect(a).toMatchObject({ status: 'answered', intent: 'aspect:timeLimit', item: { id: 'residence-permit-first' } });
    expect(a.answer).toContain('15');
    expect(a.confidence).toBeGreaterThanOrEqual(0.5);
    const where = await chat('那在哪里办？', a.sessionId);
    expect(where).toMatchObject({ intent: 'aspect:where', item: { id: 'residence-permit-first' } });
    expect(where.answer).toContain('派出所');
    const fee = await chat('收费吗', a.sessionId);
    expect(fee.intent).toBe('aspect:fee');
    const en = await chat('英文的呢', a.sessionId);
    expect(en.lang).toBe('en');
    expect(en.answer).toContain('First Application for a Beijing Residence Permit (北京市居住证首次申领)');
  });

  it('answers an English question in English with Chinese names beside', async () => {
    const r = await chat('How long does the first application for a Beijing residence permit take?');
    expect(r).toMatchObject({ status: 'answered', lang: 'en', intent: 'aspect:timeLimit' });
    expect(r.answer).toMatch(/15 calendar days/);
    expect(r.answer).toContain('北京市居住证首次申领');
  });

  it('says fee units in English', async () => {
    const r = await chat('How much does it cost to replace a lost Beijing residence permit?');
    expect(r).toMatchObject({ status: 'answered', lang: 'en' });
    expect(r.answer).toContain('20 yuan per certificate');
    expect(r.answer).not.toContain('元/证');
  });

  it('reads "How do I…" as a question about the steps, not as the item FAQ that shares its words', async () => {
    const r = await chat('How do I withdraw my provident fund to buy a home?');
    expect(r).toMatchObject({ status: 'answered', lang: 'en', intent: 'aspect:process' });
    expect(r.answer).toMatch(/^Steps for \*\*Withdrawing the Housing Provident Fund to Buy a Home/);
  });

  it('names a family in English by whole words its members share', async () => {
    const r = await chat('What do I need for a residence permit?');
    expect(r).toMatchObject({ status: 'clarify', intent: 'clarify-family' });
    expect(r.answer).toMatch(/^"residence permit" covers several services/);
    // short English names sharing only letters ("card" and "yearly" share "ar"): the English titles' common words
    const renamed = structuredClone(kb);
    const names: Record<string, string> = { 'residence-permit-endorsement': 'yearly stamp', 'residence-permit-first': 'new card', 'residence-permit-reissue': 'lost card', 'residence-permit-renewal': 'worn card' };
    for (const [id, name] of Object.entries(names)) renamed.itemsById.get(id)!.aliasesEn.unshift(name);
    const other = await buildTestApp(renamed);
    try {
      expect((await other.chat('What do I need for a residence permit?')).answer).toMatch(/^"Beijing Residence Permit" covers several services/);
    } finally {
      await other.http.close();
    }
    // titles sharing "Registration of a": the family is "Registration", not a phrase ending in an article
    const titled = structuredClone(kb);
    for (const [id, name] of Object.entries(names)) {
      const item = titled.itemsById.get(id)!;
      item.aliasesEn.splice(0, item.aliasesEn.length, `registration of a ${name}`);
    }
    const third = await buildTestApp(titled);
    try {
      expect((await third.chat('What do I need for a residence permit?')).answer).toMatch(/^"registration" covers several services/);
    } finally {
      await third.http.close();
    }
  });

  it('honours the lang setting for a Chinese question', async () => {
    const r = await chat('北京市居住证首次申领在哪里办', undefined, 'en');
    expect(r.lang).toBe('en');
    expect(r.answer).toMatch(/You can apply/);
  });

  it('answers a close FAQ match directly from the FAQ, cited', async () => {
    const r = await chat('居住证有效期多久？');
    expect(r.status).toBe('answered');
    expect(['item-faq', 'faq']).toContain(r.intent);
    expect(r.answer).toContain('1年');
    expect(r.citations.length).toBeGreaterThan(0);
  });

  it('gives a concise overview for a general question', async () => {
    const r = await chat('北京市居住证首次申领');
    expect(r).toMatchObject({ status: 'answered', intent: 'overview' });
    expect(r.answer).toContain('北京市公安局');
    expect(r.suggestions.length).toBeGreaterThan(0);
  });
});

describe('situational checklist in the chat', () => {
  it('asks one question per turn, understands free text, and ends with a shareable checklist', async () => {
    const start = await chat('办居住证要带什么');
    expect(start).toMatchObject({ status: 'checklist', intent: 'checklist-start', item: { id: 'residence-permit-first' } });
    expect(start.options?.map((o) => o.id)).toEqual(['employment', 'own-home', 'rented-home', 'study']);
    const second = await chat('我在单位上班', start.sessionId);
    expect(second).toMatchObject({ status: 'checklist', intent: 'checklist-question' });
    expect((second.checklist as { answers: Record<string, string> }).answers).toEqual({ basis: 'employment' });
    const done = await chat('我是替我爸办的', start.sessionId);
    expect(done).toMatchObject({ status: 'checklist', intent: 'checklist-complete' });
    const state = done.checklist as { complete: boolean; answers: Record<string, string>; shareUrl: string };
    expect(state.complete).toBe(true);
    expect(state.answers).toEqual({ basis: 'employment', 'by-proxy': 'proxy' });
    expect(state.shareUrl).toMatch(/^http:\/\/daoban\.test\/checklists\//);
    expect(done.answer).toContain('委托书');
    expect(done.answer).toContain('劳动合同');
    expect(done.answer).not.toContain('不动产权证书');
    expect(done.answer).toContain(state.shareUrl);
  });

  it('lets the citizen leave the guide or ask something else at any time', async () => {
    const start = await chat('办居住证要带什么');
    const left = await chat('算了', start.sessionId);
    expect(left).toMatchObject({ status: 'answered', intent: 'checklist-left' });
    const again = await chat('办居住证要带什么');
    const other = await chat('北京市居住证首次申领要多长时间', again.sessionId);
    expect(other.intent).toBe('aspect:timeLimit');
    const unclear = await chat('办居住证要带什么');
    const re = await chat('嗯嗯', unclear.sessionId);
    expect(re).toMatchObject({ status: 'checklist', intent: 'checklist-unclear' });
    expect(re.options?.length).toBe(4);
    for (const leave of ['算了不办了', '先不办了', "I don't need it anymore"]) {
      const guide = await chat('办居住证要带什么');
      expect(await chat(leave, guide.sessionId), leave).toMatchObject({ intent: 'checklist-left' });
    }
  });

  it('takes "好的" as a note taken, not a question, and mid-checklist asks its question again', async () => {
    expect(await chat('知道了')).toMatchObject({ status: 'answered', intent: 'acknowledge', citations: [] });
    const start = await chat('办居住证要带什么');
    expect(await chat('好的', start.sessionId)).toMatchObject({ status: 'checklist', intent: 'checklist-unclear' });
  });

  it('starts the checklist over when asked to', async () => {
    const start = await chat('办居住证要带什么');
    const next = await chat(start.options![0]!.value, start.sessionId);
    expect((next.checklist as { answers: Record<string, string> }).answers).not.toEqual({});
    const over = await chat('重新开始', start.sessionId);
    expect(over).toMatchObject({ status: 'checklist', checklist: { answers: {} } });
    expect(over.options?.map((o) => o.id)).toEqual(start.options?.map((o) => o.id));
  });

  it('asks the same checklist question again in the language asked for', async () => {
    const start = await chat('办居住证要带什么');
    const en = await chat('英文的呢', start.sessionId);
    expect(en).toMatchObject({ status: 'checklist', intent: 'checklist-question', lang: 'en' });
    expect(en.options?.map((o) => o.id)).toEqual(start.options?.map((o) => o.id));
    const zh = await chat('中文', start.sessionId);
    expect(zh).toMatchObject({ status: 'checklist', intent: 'checklist-question', lang: 'zh' });
    expect(zh.options?.map((o) => o.label)).toEqual(start.options?.map((o) => o.label));
  });

  it('ends an English checklist with English punctuation around each material', async () => {
    let r = await chat('What do I need for the first application of a Beijing residence permit?');
    expect(r.status).toBe('checklist');
    for (let i = 0; i < 5 && r.intent !== 'checklist-complete'; i++) r = await chat(r.options![0]!.value, r.sessionId);
    expect(r).toMatchObject({ intent: 'checklist-complete', lang: 'en' });
    const lines = r.answer.split('\n').filter((l) => l.startsWith('- '));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^- \*\*[^*]+\*\* \([^（），]+, \d+ cop(y|ies)\)$/);
  });

  it('asks again after a statement that is none of the options, and leaves for a question or a service named', async () => {
    const start = await chat('办居住证要带什么');
    for (const statement of ['没有房子', '刚来北京']) {
      expect(await chat(statement, start.sessionId), statement).toMatchObject({ status: 'checklist', intent: 'checklist-unclear' });
    }
    const named = await chat('居住证补办', start.sessionId);
    expect(named.item?.id).toBe('residence-permit-reissue');
    const again = await chat('办居住证要带什么');
    const asked = await chat('我想问问公积金贷款', again.sessionId);
    expect(asked.status).not.toBe('checklist');
  });
});

describe('handoff', () => {
  it('hands off on an explicit request and describes the queue', async () => {
    const r = await chat('转人工');
    expect(r).toMatchObject({ status: 'handoff', intent: 'handoff:user-request', handoff: { state: 'queued', position: 3 } });
    expect(r.answer).toContain('第 **3** 位');
    expect(r.answer).toContain('4–9 分钟');
  });

  it('hands off after two low-confidence turns in a row', async () => {
    const first = await chat('瓦伦西亚的帕艾利亚');
    expect(first.intent).toBe('not-found');
    expect(first.confidence).toBeLessThan(0.5);
    const before = app.handoff.requests.length;
    const second = await chat('克莱因瓶的拓扑性质', first.sessionId);
    expect(second.status).toBe('handoff');
    expect(second.intent).toBe('handoff:low-confidence');
    expect(app.handoff.requests.slice(before)).toMatchObject([{ reason: 'low-confidence', sessionId: first.sessionId }]);
  });

  it('tells the citizen to leave a message after hours', async () => {
    app.handoff.next = { state: 'after-hours', opensAt: '2026-11-23T01:00:00.000Z', department: { id: 'bj-psb', name: '北京市公安局', hotline: '010-85225050' } };
    const r = await chat('I want to talk to a human');
    app.handoff.next = { state: 'queued', position: 3, waitMinutes: { min: 4, max: 9 } };
    expect(r).toMatchObject({ status: 'handoff', lang: 'en', handoff: { state: 'after-hours' } });
    expect(r.answer).toMatch(/Leave a message/);
    expect(r.answer).toContain('010-85225050');
  });
});

describe('streaming', () => {
  it('streams text chunks, then citations and status, then the whole reply', async () => {
    const res = await app.http.inject({ method: 'POST', url: '/api/chat/stream', payload: { message: '北京市居住证首次申领的办理流程' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/event-stream');
    const events = res.body.trim().split('\n\n').map((block) => {
      const [ev, data] = block.split('\n');
      return { event: ev!.replace('event: ', ''), data: JSON.parse(data!.replace('data: ', '')) };
    });
    const names = events.map((e) => e.event);
    expect(names.filter((n) => n === 'delta').length).toBeGreaterThan(1);
    expect(names.slice(-3)).toEqual(['citations', 'status', 'done']);
    const done = events.at(-1)!.data as ChatReply;
    expect(events.filter((e) => e.event === 'delta').map((e) => e.data.text).join('')).toBe(done.answer);
    expect(events.at(-2)!.data).toMatchObject({ status: 'answered', intent: 'aspect:process' });
  });

  it('also streams on POST /api/chat with Accept: text/event-stream, and errors stay HTTP 400 before the stream', async () => {
    const ok = await app.http.inject({ method: 'POST', url: '/api/chat', headers: { accept: 'text/event-stream' }, payload: { message: '你好' } });
    expect(ok.body).toContain('event: done');
    const bad = await app.http.inject({ method: 'POST', url: '/api/chat/stream', payload: { message: '你好', sessionId: 'nope' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('DB_UNKNOWN_SESSION');
  });
});

describe('bad input → 400 naming the field', () => {
  const cases: Array<[string, unknown, string]> = [
    ['empty message', { message: '' }, 'message'],
    ['blank message', { message: '   ' }, 'message'],
    ['missing message', {}, 'message'],
    ['message too long', { message: '长'.repeat(2001) }, 'message'],
    ['message of the wrong type', { message: 42 }, 'message'],
    ['lang not zh/en', { message: '你好', lang: 'fr' }, 'lang'],
    ['sessionId of the wrong type', { message: '你好', sessionId: 7 }, 'sessionId'],
    ['unknown session', { message: '你好', sessionId: 'no-such-session' }, 'sessionId'],
    ['unknown field', { message: '你好', foo: 1 }, 'foo'],
  ];
  for (const [name, payload, field] of cases) {
    it(name, async () => {
      const res = await app.http.inject({ method: 'POST', url: '/api/chat', payload: payload as object });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toContain(field);
    });
  }

  it('invalid JSON and a non-object body', async () => {
    const bad = await app.http.inject({ method: 'POST', url: '/api/chat', headers: { 'content-type': 'application/json' }, payload: '{"message": ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('DB_INVALID_JSON');
    const arr = await app.http.inject({ method: 'POST', url: '/api/chat', payload: ['你好'] });
    expect(arr.statusCode).toBe(400);
    expect(arr.json().error.code).toBe('DB_INVALID_BODY');
  });

  it('a 2,000-character message is accepted', async () => {
    const res = await app.http.inject({ method: 'POST', url: '/api/chat', payload: { message: '居'.repeat(2000) } });
    expect(res.statusCode).toBe(200);
  });
});

describe('search and OpenAPI', () => {
  it('groups results as the portal shows them', async () => {
    const res = await app.http.inject({ method: 'GET', url: `/api/search?q=${encodeURIComponent('居住证补领')}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.values(body.groups).map((g) => (g as { name: string }).name)).toEqual(['事项办理', '常见问题', '政策法规', '办事地点']);
    expect(body.groups.items.results[0]).toMatchObject({ id: 'residence-permit-reissue', url: expect.stringMatching(/^https:/) });
    expect(body.groups.locations.results.length).toBeGreaterThan(0);
    const policies = await app.http.inject({ method: 'GET', url: `/api/search?q=${encodeURIComponent('居住证暂行条例')}` });
    expect(policies.json().groups.policies.results.length).toBeGreaterThan(0);
    for (const url of ['/api/search', '/api/search?q=', `/api/search?q=${'a'.repeat(201)}`, '/api/search?q=x&k=0', '/api/search?q=x&lang=de']) {
      const bad = await app.http.inject({ method: 'GET', url });
      expect(bad.statusCode, url).toBe(400);
    }
  });

  it('serves an OpenAPI document describing the routes', async () => {
    const res = await app.http.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/chat', '/api/chat/stream', '/v1/chat/completions', '/api/search']));
    expect(doc.paths['/api/chat'].post.requestBody.content['application/json'].schema.required).toEqual(['message']);
  });
});

describe('telling services apart (action words, item FAQs, follow-ups)', () => {
  it('lets an action word outweigh a longer name of another family member', async () => {
    // "外地人办居住证" is an alias of the first application, but 丢了/补办 ask for the replacement
    const r = await chat('外地人办居住证以后丢了 补办多少钱');
    expect(r).toMatchObject({ status: 'answered', item: { id: 'residence-permit-reissue' } });
    expect(r.answer).toContain('20');
    expect(r.citations[0]?.id).toBe('residence-permit-reissue');
  });

  it('answers the item FAQ that was asked, not its neighbour', async () => {
    // document ids count an item's FAQs from 1: the second FAQ is "item-faq:residence-permit-first#2"
    const r = await chat('居住登记不满半年可以办居住证吗');
    expect(r).toMatchObject({ status: 'answered', intent: 'item-faq', item: { id: 'residence-permit-first' } });
    expect(r.answer).toContain('满6个月');
    const s = await chat('办了居住证有什么用');
    expect(s.answer).toContain('随迁子女');
    expect(s.answer).not.toContain('签注');
  });

  it('answers a yes/no about one material of the current service, not a one-choice question', async () => {
    const first = await chat('购买自住住房提取住房公积金');
    expect(first.item?.id).toBe('hf-withdraw-purchase');
    const r = await chat('契税发票要吗', first.sessionId);
    expect(r).toMatchObject({ status: 'answered', intent: 'aspect:materials' });
    expect(r.item?.id).toBe('hf-withdraw-purchase');
    expect(r.answer).toContain('契税');
  });

  it('asks "do you mean…" when only one service might be meant and the conversation is not about it', async () => {
    const r = await chat('契税发票要吗');
    expect(r.status).toBe('clarify');
    expect(r.options?.map((o) => o.id)).toEqual(['hf-withdraw-purchase']);
    expect(r.answer).toMatch(/^您问的是「购买自住住房提取住房公积金」吗/);
  });

  it('keeps the service a general FAQ answered for follow-ups', async () => {
    const a = await chat('居住证丢了怎么办');
    expect(a.status).toBe('answered');
    expect(a.item?.id).toBe('residence-permit-reissue');
    const b = await chat('那要多久？', a.sessionId);
    expect(b).toMatchObject({ status: 'answered', intent: 'aspect:timeLimit', item: { id: 'residence-permit-reissue' } });
  });
});
