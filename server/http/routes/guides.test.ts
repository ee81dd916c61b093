import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../../kb/knowledge-base.ts';
import { BY_PROXY, item, kbOf, material } from '../../guides/fixtures.ts';
import { createSqliteChecklistStore } from '../../storage/checklist-store.ts';
import { openSqlite, type SqliteDatabase } from '../../storage/sqlite.ts';
import { installErrorHandler } from '../errors.ts';
import { guideRoutes } from './guides.ts';

const permit = (materialName: string, updatedAt = '2026-09-01') =>
  item('permit', [BY_PROXY], [
    material('id-card', undefined, { name: materialName, nameEn: 'Resident ID card' }),
    material('authorization', { 'by-proxy': 'proxy' }, {
      name: '委托书', nameEn: 'Letter of authorisation', notes: '申请人签字 <b>原件</b> & "盖章"',
      template: { name: '委托书样本', url: 'https://example.gov.cn/form.docx' },
    }),
  ], { updatedAt });

let app: FastifyInstance;
let db: SqliteDatabase;
let dir: string;
let kb: KnowledgeBase;

async function start(): Promise<void> {
  db = openSqlite(dir);
  app = Fastify({ logger: false });
  installErrorHandler(app);
  await app.register(guideRoutes, { kb: () => kb, store: createSqliteChecklistStore(db), publicUrl: 'https://daoban.example.gov.cn/' });
  await app.ready();
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-guides-http-'));
  kb = kbOf([permit('居民身份证'), item('plain', [], [material('always')])], 'hash-1');
  await start();
});
afterEach(async () => {
  await app.close();
  db.close();
});

const evaluate = (itemId: string, payload: unknown) =>
  app.inject({ method: 'POST', url: `/api/guides/${itemId}/evaluate`, payload: payload as object });

describe('GET /api/guides/:itemId', () => {
  it('lists the questions and options in the requested language', async () => {
    const res = await app.inject(`/api/guides/permit?lang=en`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      itemId: 'permit',
      title: { text: 'Item permit', zh: '事项permit' },
      updatedAt: '2026-09-01',
      questions: [{
        id: 'by-proxy',
        text: { text: BY_PROXY.textEn, zh: BY_PROXY.text },
        options: [{ id: 'self', label: { text: 'In person', zh: '本人办理' } }, { id: 'proxy', label: { text: 'By proxy', zh: '委托他人代办' } }],
      }],
    });
    expect((await app.inject('/api/guides/permit')).json().questions[0].text).toEqual({ text: BY_PROXY.text });
  });

  it('rejects an unknown item, an item without questions and an unknown language', async () => {
    const unknown = await app.inject('/api/guides/nope');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toEqual({ error: { code: 'DB_UNKNOWN_ITEM', message: 'Unknown service item "nope" (field "itemId")' } });
    const plain = await app.inject('/api/guides/plain');
    expect(plain.statusCode).toBe(400);
    expect(plain.json().error.code).toBe('DB_NO_GUIDE');
    const lang = await app.inject('/api/guides/permit?lang=fr');
    expect(lang.statusCode).toBe(400);
    expect(lang.json().error).toEqual({ code: 'DB_INVALID_FIELD', message: 'Invalid field "lang": must be one of: zh, en' });
  });
});

describe('POST /api/guides/:itemId/evaluate', () => {
  it('returns the next question, then the complete checklist', async () => {
    const first = await evaluate('permit', { answers: {} });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ next: { id: 'by-proxy' }, complete: false, answered: [], dropped: [] });
    expect(first.json().materials.pending.map((m: { id: string }) => m.id)).toEqual(['authorization']);
    const done = (await evaluate('permit', { answers: { 'by-proxy': 'proxy' }, lang: 'en' })).json();
    expect(done.complete).toBe(true);
    expect(done.next).toBeUndefined();
    expect(done.shareUrl).toBeUndefined();
    expect(done.checklist.materials.map((m: { reason: string }) => m.reason)).toEqual(['Required for every applicant', "Because you chose 'By proxy'"]);
  });

  it('accepts an empty body as "no answers yet"', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/guides/permit/evaluate' });
    expect(res.statusCode).toBe(200);
    expect(res.json().next.id).toBe('by-proxy');
  });

  it('rejects bad input with 400, naming the field and the allowed values', async () => {
    const cases: Array<[unknown, string, string]> = [
      [{ answers: { colour: 'red' } }, 'DB_UNKNOWN_QUESTION', 'Unknown question "colour" (field "answers"); allowed: by-proxy'],
      [{ answers: { 'by-proxy': 'maybe' } }, 'DB_UNKNOWN_OPTION', 'Unknown option "maybe" for question "by-proxy" (field "answers.by-proxy"); allowed: self, proxy'],
      [{ answers: { 'by-proxy': 1 } }, 'DB_INVALID_FIELD', 'Invalid field "answers.by-proxy": must be an option id (a string); allowed: self, proxy'],
      [{ answers: ['proxy'] }, 'DB_INVALID_FIELD', 'Invalid field "answers": must be an object mapping question ids to option ids'],
      [{ answers: {}, save: 'yes' }, 'DB_INVALID_FIELD', 'Invalid field "save": must be true or false'],
      [{ answers: {}, lang: 'de' }, 'DB_INVALID_FIELD', 'Invalid field "lang": must be one of: zh, en'],
      [{ answer: {} }, 'DB_INVALID_FIELD', 'Invalid field "answer": is not a known field; allowed: answers, lang, save'],
      [[1, 2], 'DB_INVALID_BODY', 'Invalid request body: expected a JSON object { answers, lang?, save? }'],
    ];
    for (const [payload, code, message] of cases) {
      const res = await evaluate('permit', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json(), JSON.stringify(payload)).toEqual({ error: { code, message } });
    }
    expect((await evaluate('nope', { answers: {} })).json().error.code).toBe('DB_UNKNOWN_ITEM');
    const broken = await app.inject({ method: 'POST', url: '/api/guides/permit/evaluate', headers: { 'content-type': 'application/json' }, payload: '{"answers":' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('DB_INVALID_JSON');
  });

  it('reports answers dropped after going back', async () => {
    kb = kbOf([item('nested', [BY_PROXY, { ...BY_PROXY, id: 'second' }], [
      material('always'), material('m', { 'by-proxy': 'proxy', second: 'proxy' }),
    ])]);
    const res = (await evaluate('nested', { answers: { 'by-proxy': 'self', second: 'proxy' } })).json();
    expect(res.dropped).toEqual([{ questionId: 'second', optionId: 'proxy', question: { text: BY_PROXY.text } }]);
    expect(res.complete).toBe(true);
  });
});

describe('saving, sharing and printing', () => {
  async function save(lang = 'zh') {
    const res = await evaluate('permit', { answers: { 'by-proxy': 'proxy' }, save: true, lang });
    expect(res.statusCode).toBe(200);
    return res.json() as { shareUrl: string; checklistId: string };
  }

  it('saves only a complete checklist', async () => {
    const res = (await evaluate('permit', { answers: {}, save: true })).json();
    expect(res.complete).toBe(false);
    expect(res.shareUrl).toBeUndefined();
  });

  it('shows the same checklist later, with the item version it was made from, even after the KB changes', async () => {
    const { shareUrl, checklistId } = await save();
    expect(shareUrl).toBe(`https://daoban.example.gov.cn/checklists/${checklistId}`);
    expect(checklistId).toMatch(/^[A-Za-z0-9_-]{22}$/);

    // The knowledge base is updated and the service restarted.
    kb = kbOf([permit('居民身份证（新版）', '2026-10-01')], 'hash-2');
    await app.close();
    db.close();
    await start();

    const json = await app.inject(`/api/checklists/${checklistId}`);
    expect(json.statusCode).toBe(200);
    const snap = json.json();
    expect(snap).toMatchObject({ id: checklistId, itemId: 'permit', itemUpdatedAt: '2026-09-01', kbHash: 'hash-1', answers: { 'by-proxy': 'proxy' }, lang: 'zh' });
    expect(snap.checklists.zh.materials[0].name.text).toBe('居民身份证');

    const page = await app.inject(`/checklists/${checklistId}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain('<html lang="zh-CN">');
    expect(page.body).toContain('居民身份证');
    expect(page.body).not.toContain('新版');
    expect(page.body).toContain('更新于 2026-09-01');
    expect(page.body).toContain("因为您选择了&#39;委托他人代办&#39;");
    expect(page.body).toContain('<a href="https://example.gov.cn/form.docx">委托书样本</a>');
    expect(page.body).toContain('@media print');
    expect(page.body).toContain(shareUrl);
    expect(page.body).not.toMatch(/<script/i);

    const en = await app.inject(`/checklists/${checklistId}?lang=en`);
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('Letter of authorisation <span class="zh" lang="zh-CN">委托书</span>');
    expect(en.body).toContain('Documents to bring');
  });

  it('escapes every value on the print page', async () => {
    kb = kbOf([permit('<script>alert("x")</script>')]);
    const { checklistId } = await save();
    const page = (await app.inject(`/checklists/${checklistId}`)).body;
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page).toContain('申请人签字 &lt;b&gt;原件&lt;/b&gt; &amp; &quot;盖章&quot;');
  });

  it('answers 404 for a checklist that does not exist, and 400 for a bad language', async () => {
    const json = await app.inject('/api/checklists/AAAAAAAAAAAAAAAAAAAAAA');
    expect(json.statusCode).toBe(404);
    expect(json.json().error.code).toBe('DB_NOT_FOUND');
    const page = await app.inject('/checklists/not-an-id');
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('找不到这份清单');
    const { checklistId } = await save();
    expect((await app.inject(`/checklists/${checklistId}?lang=xx`)).statusCode).toBe(400);
  });
});
