/**
 * Precision after a name match, through POST /api/chat: a question naming a service by its generic part
 * ("办居住登记") while carrying a word only a variant service names ("港澳台") is not answered with the generic
 * service; it goes to the variant or asks which one is meant. The KB is a temp copy of the fixture with the
 * variant cloned from the generic item; the retriever is the real one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../kb/load.ts';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import { buildRetriever } from '../retrieval/index.ts';
import { FIXTURE_KB_DIR } from './__fixtures__/kb-fixture.ts';
import { buildTestApp, type TestApp } from './__fixtures__/test-app.ts';
import type { ChatReply } from './reply.ts';

const GENERIC = 'residence-registration';
const VARIANT = 'residence-registration-hmt';

let dir: string;
let kb: KnowledgeBase;
let app: TestApp;

/** The generic item's file, re-issued as the variant for residents of Hong Kong, Macao and Taiwan. */
function variantOf(source: string): string {
  return source
    .replace(/^id: .*$/m, `id: ${VARIANT}`)
    .replace(/^title: .*$/m, 'title: 港澳台居民居住登记')
    .replace(/^titleEn: .*$/m, 'titleEn: Residence Registration for Hong Kong, Macao and Taiwan Residents')
    .replace(/^aliases: .*$/m, 'aliases: [港澳台居民办居住登记, 港澳台同胞居住登记]')
    .replace(/^aliasesEn: .*$/m, 'aliasesEn: [residence registration for Hong Kong and Macao residents]')
    .replace(/^family: .*\n/m, '')
    .replace(/^keywords: .*$/m, 'keywords: [港澳台居民, 居住登记]');
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-named-clash-'));
  const root = path.join(dir, 'kb');
  fs.cpSync(FIXTURE_KB_DIR, root, { recursive: true });
  const items = path.join(root, 'items', 'residence-permit');
  const generic = fs.readFileSync(path.join(items, `${GENERIC}.yaml`), 'utf8');
  expect(generic).not.toContain('港澳台');
  fs.writeFileSync(path.join(items, `${VARIANT}.yaml`), variantOf(generic));
  const loaded = await loadKnowledgeBase(root, { now: new Date('2026-11-22T00:00:00Z') });
  if (!loaded.kb) throw new Error(`variant KB invalid: ${JSON.stringify(loaded.issues.slice(0, 3))}`);
  kb = loaded.kb;
  const retriever = await buildRetriever(kb, { cacheDir: path.join(dir, 'index') });
  app = await buildTestApp(kb, { retriever });
}, 60_000);
afterAll(async () => {
  await app?.http.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function chat(message: string): Promise<ChatReply> {
  const res = await app.http.inject({ method: 'POST', url: '/api/chat', payload: { message } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ChatReply;
}

describe('a service named by its generic part', () => {
  it('still answers the generic service when the question says nothing beyond its name', async () => {
    const r = await chat('怎么办居住登记');
    expect(r.item?.id ?? r.options?.map((o) => o.id)).not.toEqual(VARIANT);
    expect(r.status === 'answered' || r.status === 'clarify').toBe(true);
    if (r.status === 'answered') expect(r.item?.id).toBe(GENERIC);
  });

  it.each(['港澳台的人怎么办居住登记', '港澳台的人在哪办居住登记'])('gives way to the variant a distinctive word names, or asks: %s', async (q) => {
    const r = await chat(q);
    if (r.status === 'clarify') {
      expect(r.options?.map((o) => o.id)).toContain(VARIANT);
      expect(r.item).toBeUndefined();
    } else {
      expect(r.item?.id, JSON.stringify({ status: r.status, answer: r.answer.slice(0, 80) })).toBe(VARIANT);
      expect(r.citations.map((c) => c.id)).not.toContain(GENERIC);
    }
  });
});
