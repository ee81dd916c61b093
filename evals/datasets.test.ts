import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeBase, type KnowledgeBase } from '../server/kb/index.ts';
import { PROJECT_ROOT } from '../server/config/config.ts';
import { checkCases } from './consistency.ts';
import { CASE_KINDS, EvalCase, loadCases, type LoadedCase } from './schema.ts';

let kb: KnowledgeBase;
let cases: LoadedCase[];

beforeAll(async () => {
  const loaded = await loadKnowledgeBase(path.join(PROJECT_ROOT, 'knowledge-base'));
  if (!loaded.kb) throw new Error(`the knowledge base does not load: ${loaded.issues.map((i) => i.message).join('; ')}`);
  kb = loaded.kb;
  cases = loadCases();
}, 60_000);

describe('eval datasets', () => {
  it('every case agrees with the knowledge base', () => {
    expect(checkCases(kb, cases)).toEqual([]);
  });

  it('has at least 400 cases, every theme and every kind, in both splits', () => {
    expect(cases.length).toBeGreaterThanOrEqual(400);
    for (const split of ['dev', 'test'] as const) {
      const inSplit = cases.filter((c) => c.split === split);
      expect(new Set(inSplit.map((c) => c.kind))).toEqual(new Set(CASE_KINDS));
      const themes = new Set(inSplit.map((c) => c.theme));
      for (const t of kb.themes) expect(themes, `${split} covers ${t.id}`).toContain(t.id);
    }
  });

  it('the check catches cases that expect what the KB does not say', () => {
    const bad = EvalCase.array().parse([
      { id: 'x-1', kind: 'single', theme: 'residence-permit', reason: 'wrong fact', turns: [{ say: '居住证多久', expect: { status: 'answered', item: 'residence-permit-first', facts: ['99天'] } }] },
      { id: 'x-2', kind: 'single', theme: 'residence-permit', reason: 'no such item', turns: [{ say: '居住证', expect: { status: 'answered', item: 'no-such-item' } }] },
      {
        id: 'x-3', kind: 'checklist', theme: 'residence-permit', reason: 'wrong materials', turns: [{ say: '居住证材料' }],
        checklist: { item: 'residence-permit-first', answers: { basis: 'rented-home', 'by-proxy': 'self' }, materials: ['id-card', 'photo'] },
      },
      {
        id: 'x-4', kind: 'checklist', theme: 'residence-permit', reason: 'missing answer', turns: [{ say: '居住证材料' }],
        checklist: { item: 'residence-permit-first', answers: { basis: 'rented-home' }, materials: ['id-card', 'photo', 'lease-contract'] },
      },
      { id: 'x-1', kind: 'single', theme: 'nowhere', reason: 'duplicate id, unknown theme', turns: [{ say: '你好', expect: { status: 'answered', faq: 'no-such-faq' } }] },
    ]);
    const problems = checkCases(kb, bad).join('\n');
    expect(problems).toMatch(/x-1: turn 1: fact "99天" does not occur/);
    expect(problems).toMatch(/x-2: turn 1: unknown item "no-such-item"/);
    expect(problems).toMatch(/x-3: checklist: for these answers residence-permit-first requires \[id-card, lease-contract, photo\]/);
    expect(problems).toMatch(/x-4: checklist: answers must include "by-proxy"/);
    expect(problems).toMatch(/x-1: duplicate id/);
    expect(problems).toMatch(/unknown theme "nowhere"/);
    expect(problems).toMatch(/unknown FAQ "no-such-faq"/);
  });
});
