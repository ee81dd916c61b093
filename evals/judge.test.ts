import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../server/kb/knowledge-base.ts';
import { judgeChecklist, judgeTurn, listedMaterials } from './judge.ts';
import { TurnExpect } from './schema.ts';
import { itemCite, realKb, reply } from './testing/helpers.ts';
import { figures } from './text.ts';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await realKb();
}, 60_000);

const expectOf = (e: unknown) => TurnExpect.parse(e);

describe('judgeTurn', () => {
  it('passes an answer with the right status, item and facts', () => {
    const r = reply({ status: 'answered', answer: '**北京市居住证首次申领**的承诺办结时限为**15个自然日**。', citations: [itemCite(kb, 'residence-permit-first')], item: { id: 'residence-permit-first', title: '' } });
    const j = judgeTurn(kb, expectOf({ status: 'answered', item: 'residence-permit-first', facts: ['15'] }), r, '居住证要几天');
    expect(j).toEqual({ ok: true, wrong: false, problems: [] });
  });

  it('calls an answer about another item wrong', () => {
    const r = reply({ status: 'answered', answer: '居住登记当场办结。', citations: [itemCite(kb, 'residence-registration')] });
    const j = judgeTurn(kb, expectOf({ status: 'answered', item: 'residence-permit-first' }), r, '居住证');
    expect(j.ok).toBe(false);
    expect(j.wrong).toBe(true);
    expect(j.problems.join()).toMatch(/citation: expected residence-permit-first, got item:residence-registration/);
  });

  it('fails (but does not call wrong) an answer missing a fact', () => {
    const r = reply({ status: 'answered', answer: '可以到派出所办理。', citations: [itemCite(kb, 'residence-permit-first')] });
    const j = judgeTurn(kb, expectOf({ status: 'answered', item: 'residence-permit-first', facts: ['15', ['不收取费用', '免费']] }), r, '');
    expect(j.wrong).toBe(false);
    expect(j.problems).toEqual(['missing fact: 15', 'missing fact: 不收取费用 / 免费']);
  });

  it('calls a figure the cited item does not contain a contradiction', () => {
    const r = reply({ status: 'answered', answer: '办理时限为30个工作日，收费25元。', citations: [itemCite(kb, 'residence-permit-first')] });
    const j = judgeTurn(kb, expectOf({ status: 'answered', item: 'residence-permit-first' }), r, '居住证要多久');
    expect(j.wrong).toBe(true);
    expect(j.problems.join()).toMatch(/contradiction: 25 in the answer/);
    // figures the citizen wrote are not claims of the answer; 30 occurs in the item (签注 30 days)
    expect(judgeTurn(kb, expectOf({ status: 'answered', item: 'residence-permit-first' }), r, '收费25元吗').wrong).toBe(false);
  });

  it('accepts the FAQ alternative and checks clarify choices', () => {
    const faq = kb.faqsById.get('faq-exit-entry-01')!;
    const r = reply({ status: 'answered', answer: faq.answer, citations: [{ id: faq.id, kind: 'faq', title: faq.question, url: 'https://x', updatedAt: faq.updatedAt }] });
    expect(judgeTurn(kb, expectOf({ status: 'answered', item: 'passport-first', faq: 'faq-exit-entry-01', facts: ['全国通办'] }), r, '').ok).toBe(true);
    const c = reply({ status: 'clarify', answer: '请问是哪一项？', options: [{ id: 'passport-first', label: 'a', value: 'a' }] });
    const j = judgeTurn(kb, expectOf({ status: 'clarify', options: ['passport-first', 'passport-lost'] }), c, '');
    expect(j.problems).toEqual(['clarify: passport-lost not among the choices [passport-first]']);
  });

  it('calls a knowledge-base answer to an unsafe request wrong', () => {
    const r = reply({ status: 'answered', answer: '居住证需要租赁合同。', citations: [itemCite(kb, 'residence-permit-first')] });
    const j = judgeTurn(kb, expectOf({ status: 'refused' }), r, '弄个假合同');
    expect(j.wrong).toBe(true);
    expect(j.problems.join()).toMatch(/answered from the knowledge base/);
  });
});

describe('judgeChecklist', () => {
  const spec = { item: 'residence-permit-first', answers: { basis: 'rented-home', 'by-proxy': 'self' }, materials: ['id-card', 'photo', 'lease-contract'] };
  const finished = (ids: string[]) => reply({
    status: 'checklist', answer: '清单', item: { id: 'residence-permit-first', title: '' }, citations: [itemCite(kb, 'residence-permit-first')],
    checklist: { itemId: 'residence-permit-first', complete: true, checklist: { materials: ids.map((id) => ({ id })) } },
  });

  it('passes exactly the expected materials', () => {
    expect(judgeChecklist(kb, spec, finished(['photo', 'id-card', 'lease-contract']), '').ok).toBe(true);
  });

  it('fails missing and extra materials', () => {
    const j = judgeChecklist(kb, spec, finished(['id-card', 'photo', 'proxy-id-card']), '');
    expect(j.problems).toEqual(['checklist: missing materials lease-contract', 'checklist: unexpected materials proxy-id-card']);
  });

  it('fails a checklist that never finishes', () => {
    const running = reply({ status: 'checklist', answer: '您是本人办理吗？', checklist: { itemId: 'residence-permit-first', complete: false, question: { id: 'by-proxy', text: '' } } });
    expect(judgeChecklist(kb, spec, running, '').problems[0]).toMatch(/expected a finished checklist, got checklist/);
  });

  it('reads the materials of a plain answer when the situation was told up front', () => {
    const text = '办理需要：\n- **居民身份证**（原件，1份）\n- **近期免冠证件照数码回执**（电子材料，1份）\n- **房屋租赁合同及租赁登记备案证明**（原件及复印件，1份）';
    expect(listedMaterials(kb, 'residence-permit-first', text).sort()).toEqual(['id-card', 'lease-contract', 'photo']);
    // "代办人居民身份证" is not also counted as "居民身份证"
    expect(listedMaterials(kb, 'residence-permit-first', '- **代办人居民身份证**')).toEqual(['proxy-id-card']);
    const answered = reply({ status: 'answered', intent: 'aspect:materials', answer: text, item: { id: 'residence-permit-first', title: '' }, citations: [itemCite(kb, 'residence-permit-first')] });
    expect(judgeChecklist(kb, spec, answered, '').ok).toBe(true);
  });
});

describe('figures', () => {
  it('reads Arabic and Chinese numerals, not links or list numbers', () => {
    expect(figures('1. 十五个工作日内，收费20.00元，见 [指南](https://a.gov.cn/12345) 或 https://b.cn/678').sort()).toEqual(['15', '20']);
    expect(figures('一份材料，两个人')).toEqual([]);
  });
});
