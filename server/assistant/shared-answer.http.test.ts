/**
 * One answer for several services, through /api/chat: a question that fits a family's members alike, asking an
 * aspect they all answer word for word the same, is answered (citing every member, the members still offered);
 * where the members differ, the assistant asks. And a service named after costs (…费用报销) is not a fee question.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import { loadFixtureKb } from './__fixtures__/kb-fixture.ts';
import { buildTestApp, type TestApp } from './__fixtures__/test-app.ts';
import { detectAspect } from './aspects.ts';
import type { ChatReply } from './reply.ts';

const PERMITS = ['residence-permit-endorsement', 'residence-permit-first', 'residence-permit-reissue', 'residence-permit-renewal'];

const offered = (r: ChatReply) => (r.options ?? []).map((o) => o.id).sort();
const cited = (r: ChatReply) => r.citations.map((c) => c.id).sort();

/** The fixture KB with every residence-permit member's contact the same (in the fixture, two add a note). */
function withSameContact(kb: KnowledgeBase, note?: (title: string) => string): KnowledgeBase {
  const copy = structuredClone(kb);
  for (const id of PERMITS) {
    const item = copy.itemsById.get(id)!;
    item.contact = { phone: '010-85225050', ...(note ? { note: note(item.title) } : {}) };
  }
  return copy;
}

describe('an aspect the candidates answer alike', () => {
  let kb: KnowledgeBase;
  let same: TestApp;
  let differ: TestApp;
  beforeAll(async () => {
    kb = await loadFixtureKb();
    [same, differ] = await Promise.all([buildTestApp(withSameContact(kb)), buildTestApp(kb)]);
  });
  afterAll(async () => Promise.all([same.http.close(), differ.http.close()]));

  it('answers it once for every member, cites them all and still offers them', async () => {
    const r = await same.chat('居住证咨询电话是多少');
    expect(r.status).toBe('answered');
    expect(r.intent).toBe('shared-answer');
    expect(r.answer).toContain('010-85225050');
    for (const id of PERMITS) expect(r.answer).toContain(kb.itemsById.get(id)!.title);
    expect(cited(r)).toEqual(PERMITS);
    expect(offered(r)).toEqual(PERMITS);
  });

  it('asks which one when the members answer differently', async () => {
    const r = await differ.chat('居住证咨询电话是多少');
    expect(r.status).toBe('clarify');
    expect(offered(r)).toEqual(PERMITS);
  });

  it('asks which one when each member names itself in the field (the texts then differ beyond the name)', async () => {
    const app = await buildTestApp(withSameContact(kb, (title) => `办理${title}前请先电话咨询`));
    try {
      const r = await app.chat('居住证咨询电话是多少');
      expect(r.status).toBe('clarify');
      expect(offered(r)).toEqual(PERMITS);
    } finally {
      await app.http.close();
    }
  });

  it('answers an aspect asked before picking when the choices share it, and a pick then gives that member', async () => {
    const first = await same.chat('居住证要多久');
    expect(first.status).toBe('clarify');
    const contact = await same.chat('电话是多少', first.sessionId);
    expect(contact.status).toBe('answered');
    expect(contact.intent).toBe('shared-answer');
    expect(contact.answer).toContain('010-85225050');
    const picked = await same.chat(contact.options!.find((o) => o.id === 'residence-permit-reissue')!.value, first.sessionId);
    expect(picked.status).toBe('answered');
    expect(picked.item?.id).toBe('residence-permit-reissue');
  });

  it('in English too', async () => {
    const r = await same.chat('What is the phone number for the residence permit?', undefined, 'en');
    expect(r.status).toBe('answered');
    expect(r.intent).toBe('shared-answer');
    expect(r.answer).toMatch(/^The answer is the same for each of these services/);
  });
});

describe('a service named after costs', () => {
  it('is not a question about fees', () => {
    expect(detectAspect('生育医疗费用报销需要什么材料')).toBe('materials');
    expect(detectAspect('生育医疗费用报销网上能办吗')).toBe('online');
    expect(detectAspect('生育医疗费用报销收费吗')).toBe('fee');
    expect(detectAspect('办护照的费用是多少')).toBe('fee');
  });
});
