import { beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type { ServiceItem } from '../kb/schema.ts';
import { loadFixtureKb } from './__fixtures__/kb-fixture.ts';
import { askShape, asksAboutOneMaterial, composeItemAnswer, factSentences, PROXY_ASKED, quantityAsked, rankFaqs } from './answer-select.ts';
import { detectAspect, subjectOf } from './aspects.ts';
import type { ComposeContext } from './compose-extractive.ts';
import { checkFiguresIn } from './grounding.ts';
import { loadTemplates } from './templates.ts';

let kb: KnowledgeBase;
const templates = loadTemplates();
const ctx = (lang: 'zh' | 'en' = 'zh'): ComposeContext => ({ kb, lang, t: templates[lang], situation: {} });
const item = (id: string): ServiceItem => kb.itemsById.get(id)!;
const answer = (id: string, message: string, lang: 'zh' | 'en' = 'zh') => composeItemAnswer(ctx(lang), item(id), message, detectAspect(message));

beforeAll(async () => {
  kb = await loadFixtureKb();
});

describe('what a question asks', () => {
  it('tells deadlines, benefit amounts and yes/no questions from processing times and fees', () => {
    expect(askShape('驾照到期前多少天可以换证')).toMatchObject({ deadline: true, benefit: false });
    expect(askShape('失业金要在多少天内申请')).toMatchObject({ deadline: true, benefit: false });
    expect(askShape('公司减资公告要公告多少天').deadline).toBe(true);
    expect(askShape('居住证办下来要几天').deadline).toBe(false);
    expect(askShape('失能老人护理补贴一个月多少钱')).toMatchObject({ benefit: true, deadline: false });
    expect(askShape('租房一个月能提多少')).toMatchObject({ benefit: true });
    expect(askShape('工本费多少钱').benefit).toBe(false);
    expect(askShape('一方来不了能代办吗').yesNo).toBe(true);
    expect(askShape('当天能拿到证不').yesNo).toBe(true);
    expect(quantityAsked('最长能贷多少年')).toBe('time');
    expect(quantityAsked('能贷多少钱')).toBe('money');
  });

  it('reads materials in colloquial words before the place or channel the sentence names', () => {
    expect(detectAspect('搬家了居住登记地址要改 要带什么')).toBe('materials');
    expect(detectAspect('开网店办个体户 在网上卖 要什么材料')).toBe('materials');
    expect(detectAspect('申请公租房需要准备啥')).toBe('materials');
    expect(detectAspect('办居住证要啥条件')).toBe('conditions');
    expect(detectAspect('劳动能力鉴定要自己掏钱吗')).toBe('fee');
    expect(detectAspect('当天能拿到证不')).toBe('timeLimit');
    expect(subjectOf('当天能拿到证不')).toBe('');
    expect(asksAboutOneMaterial('扯证还要带户口本吗')).toBe(true);
    expect(asksAboutOneMaterial('办居住证要带什么')).toBe(false);
  });
});

describe('the answer source within the item', () => {
  it('answers from the item FAQ that speaks of what the question adds (爸妈买房 → 父母买房)', () => {
    const a = answer('hf-withdraw-purchase', '我爸妈买房 我能提公积金给他们吗');
    expect(a.intent).toBe('item-faq');
    expect(a.composed.answer).toContain('不能');
  });

  it('matches the quantity asked: years of a loan, not its amount', () => {
    const ranked = rankFaqs(kb, item('hf-loan-apply'), '公积金贷款最长能贷多少年');
    expect(ranked[0]!.candidate.question).toBe('公积金贷款期限最长多少年？');
    expect(answer('hf-loan-apply', '公积金贷款最长能贷多少年').composed.answer).toContain('30年');
  });

  it('keeps the aspect for a plain aspect question, even when a FAQ also mentions it', () => {
    const a = answer('residence-permit-reissue', '补领居住证要多少钱');
    expect(a.intent).toBe('aspect:fee');
    expect(a.composed.answer).toContain('20');
    expect(answer('residence-permit-endorsement', '签注要多久').intent).toBe('aspect:timeLimit');
  });

  it('does not answer a "how long" question with a FAQ that states no time', () => {
    // "搬家以后还能在网上签注吗" shares words but says nothing of a duration
    const a = answer('residence-permit-endorsement', '搬家后签注多久能办好');
    expect(a.composed.answer).toMatch(/当场/);
  });

  it('answers a deadline from the sentence that states it, with the processing time after', () => {
    const facts = factSentences(kb, item('residence-permit-endorsement'), '居住证签注要在到期前多少天办', 'period');
    expect(facts[0]).toContain('有效期满前30日内');
    const a = answer('residence-permit-endorsement', '居住证签注要在到期前多少天办');
    expect(a.composed.answer).toContain('30日');
    expect(a.intent).not.toBe('aspect:timeLimit');
  });

  it('answers a benefit amount from the item text, never with "free of charge"', () => {
    const base = item('residence-registration');
    const subsidy: ServiceItem = { ...base, id: 'test-care-subsidy', title: '护理补贴申领', aliases: ['护理补贴'], faqs: [], summary: '经评估为重度失能的老年人，每人每月600元，按月发放。' };
    const a = composeItemAnswer(ctx(), subsidy, '护理补贴一个月多少钱', detectAspect('护理补贴一个月多少钱'));
    expect(a.intent).toBe('fact:amount');
    expect(a.composed.answer).toContain('600元');
    expect(a.composed.answer).not.toContain('不收取费用');
    expect(checkFiguresIn(a.composed.answer, [subsidy]).ok).toBe(true);
  });

  it('grounds every answer it picks in the sources it returns', () => {
    const questions: Array<[string, string]> = [
      ['hf-withdraw-purchase', '我爸妈买房 我能提公积金给他们吗'],
      ['hf-loan-apply', '公积金贷款最长能贷多少年'],
      ['residence-permit-endorsement', '居住证签注要在到期前多少天办'],
      ['residence-permit-first', '办了居住证能干啥用'],
      ['residence-address-change', '从朝阳区搬到海淀区 居住年限会断吗'],
    ];
    for (const [id, q] of questions) {
      const a = answer(id, q);
      expect(checkFiguresIn(a.composed.answer, a.sources).ok, `${q}: ${a.composed.answer}`).toBe(true);
      expect(a.composed.citations.length).toBeGreaterThan(0);
    }
  });

  it('says where a fully online service is done in Jingtong', () => {
    const online = { ...item('residence-permit-endorsement'), online: { level: '全程网办' as const, jingtong: '京通 → 办事 → 公安 → 居住证签注' } };
    const a = composeItemAnswer(ctx(), online, '签注在哪办', 'where');
    expect(a.composed.answer).toContain('京通 → 办事 → 公安 → 居住证签注');
  });
});

describe('someone else applying, as a question asks it', () => {
  it('is asked by someone doing it for the citizen or by who must be there, not by a relative merely named', () => {
    for (const asked of ['可以找人代办吗', '家人能帮我办吗', '别人能替我去吗', '可以一个人去吗', '代办呢', 'can someone else do it for me', 'can my wife apply for me?']) {
      expect(PROXY_ASKED.test(asked), asked).toBe(true);
    }
    for (const named of ['家属要带什么材料', '家人去世了抚恤金怎么领', 'is there a subsidy for them']) expect(PROXY_ASKED.test(named), named).toBe(false);
  });
});

