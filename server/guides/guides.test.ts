import { describe, expect, it } from 'vitest';
import { isDaobanError } from '../errors/catalogue.ts';
import { BY_PROXY, item, kbOf, material } from './fixtures.ts';
import { createGuides } from './index.ts';
import type { Question } from '../kb/schema.ts';

const BASIS: Question = {
  id: 'basis',
  text: '您申领居住证依据的是哪种条件？',
  textEn: 'On which basis are you applying?',
  options: [
    { id: 'employment', label: '在京合法稳定就业', labelEn: 'Stable employment in Beijing', hints: ['上班', '工作'] },
    { id: 'rented-home', label: '在京租房居住', labelEn: 'Renting in Beijing', hints: ['租房'] },
    { id: 'study', label: '在京连续就读', hints: ['上学'] },
  ],
};

const permit = item('permit', [BASIS, BY_PROXY], [
  material('id-card', undefined, { name: '居民身份证', nameEn: 'Resident ID card', notes: '须在有效期内', notesEn: 'Must be valid' }),
  material('employment-proof', { basis: 'employment' }, { form: '原件及复印件', copies: 2 }),
  material('lease', { basis: 'rented-home' }),
  material('enrolment', { basis: 'study' }),
  material('proxy-id', { 'by-proxy': 'proxy' }, { name: '代办人居民身份证' }),
  material('authorization', { 'by-proxy': 'proxy' }, {
    name: '委托书', nameEn: 'Letter of authorisation', template: { name: '委托书样本', url: 'https://example.gov.cn/form.docx' },
  }),
], {
  locations: [
    {
      name: '居住地派出所户籍窗口', nameEn: 'Household registration counter of your local police station', address: '北京市东城区安定门东大街2号',
      addressEn: 'No. 2 Andingmen East Street, Dongcheng District, Beijing', hours: '周一至周五 9:00-17:00', hoursEn: 'Mon–Fri 9:00–17:00',
      note: '可先网上预约。', noteEn: 'You can book online first.', phone: '010-12345678',
      transit: '地铁2号线、5号线雍和宫站', transitEn: 'Metro Lines 2 and 5 to Yonghegong Station',
    },
    { name: '自助签注点', address: '各出入境接待大厅', hours: '以各设置点开放时间为准' },
  ],
});

const q = (id: string, options: string[]): Question => ({ id, text: `问题${id}？`, options: options.map((o) => ({ id: o, label: `选项${o}`, hints: [] })) });
// b only matters when a = x; c is independent of both.
const nested = item('nested', [q('a', ['x', 'y']), q('b', ['p', 'q']), q('c', ['z', 'w'])], [
  material('always'),
  material('m-ab', { a: 'x', b: 'p' }),
  material('m-c', { c: 'z' }),
]);
// Equivalent to { a: x } though Kleene logic cannot see it: b must not be asked.
const redundant = item('redundant', [q('a', ['x', 'y']), q('b', ['p', 'q'])], [
  material('always'),
  material('m', { any: [{ a: 'x', b: 'p' }, { a: 'x', b: 'q' }] }),
]);
const either = item('either', [q('a', ['x', 'y']), q('c', ['z', 'w'])], [
  material('m-or', { any: [{ a: 'x' }, { c: 'z' }] }),
  material('m-c', { c: 'z' }),
  material('always'),
]);
const plain = item('plain', [], [material('always')]);

const guides = createGuides(kbOf([permit, nested, redundant, either, plain]));
const ids = (xs: Array<{ id: string }>) => xs.map((x) => x.id);

describe('evaluate: the next question and the checklist so far', () => {
  it('starts with the first question, the certain materials and the pending ones', () => {
    const r = guides.evaluate('permit', {});
    expect(r.next?.id).toBe('basis');
    expect(r.complete).toBe(false);
    expect(ids(r.materials.required)).toEqual(['id-card']);
    expect(r.materials.pending).toEqual([
      { id: 'employment-proof', name: { text: '材料employment-proof' }, dependsOn: ['basis'] },
      { id: 'lease', name: { text: '材料lease' }, dependsOn: ['basis'] },
      { id: 'enrolment', name: { text: '材料enrolment' }, dependsOn: ['basis'] },
      { id: 'proxy-id', name: { text: '代办人居民身份证' }, dependsOn: ['by-proxy'] },
      { id: 'authorization', name: { text: '委托书' }, dependsOn: ['by-proxy'] },
    ]);
    expect(r.checklist).toBeUndefined();
  });

  it('moves on after each answer and completes with the full checklist', () => {
    const r1 = guides.evaluate('permit', { basis: 'employment' });
    expect(r1.next?.id).toBe('by-proxy');
    expect(ids(r1.materials.required)).toEqual(['id-card', 'employment-proof']);
    expect(ids(r1.materials.pending)).toEqual(['proxy-id', 'authorization']);
    const r2 = guides.evaluate('permit', { basis: 'employment', 'by-proxy': 'proxy' });
    expect(r2.next).toBeUndefined();
    expect(r2.complete).toBe(true);
    expect(r2.materials.pending).toEqual([]);
    expect(ids(r2.checklist!.materials)).toEqual(['id-card', 'employment-proof', 'proxy-id', 'authorization']);
    expect(r2.answered.map((a) => [a.questionId, a.optionId, a.option.text])).toEqual([
      ['basis', 'employment', '在京合法稳定就业'],
      ['by-proxy', 'proxy', '委托他人代办'],
    ]);
  });

  it('explains why each material is required, in words', () => {
    const r = guides.evaluate('permit', { basis: 'employment', 'by-proxy': 'proxy' });
    const byId = new Map(r.checklist!.materials.map((m) => [m.id, m]));
    expect(byId.get('id-card')!.reason).toBe('所有申请人均需提交');
    expect(byId.get('authorization')!.reason).toBe("因为您选择了'委托他人代办'");
    expect(byId.get('authorization')!.because).toEqual([{ questionId: 'by-proxy', optionId: 'proxy' }]);
    expect(byId.get('employment-proof')).toMatchObject({
      reason: "因为您选择了'在京合法稳定就业'", form: '原件及复印件', formLabel: '原件及复印件', copies: 2, copiesLabel: '2份',
    });
    expect(byId.get('authorization')!.template).toEqual({ name: '委托书样本', url: 'https://example.gov.cn/form.docx' });
  });

  it('cites only the answers that decide a material (A or B, with A chosen)', () => {
    const r = guides.evaluate('either', { a: 'x', c: 'z' });
    const m = r.checklist!.materials.find((x) => x.id === 'm-or')!;
    expect(m.because).toEqual([{ questionId: 'a', optionId: 'x' }]);
    expect(m.reason).toBe("因为您选择了'选项x'");
  });

  it('in English uses the English fields with the Chinese beside, and English words', () => {
    const r = guides.evaluate('permit', { basis: 'study', 'by-proxy': 'proxy' }, 'en');
    const byId = new Map(r.checklist!.materials.map((m) => [m.id, m]));
    expect(byId.get('id-card')).toMatchObject({
      name: { text: 'Resident ID card', zh: '居民身份证' }, notes: { text: 'Must be valid', zh: '须在有效期内' },
      formLabel: 'Original', copiesLabel: '1 copy', reason: 'Required for every applicant',
    });
    expect(byId.get('authorization')!.reason).toBe("Because you chose 'By proxy'");
    // No English label in the KB: the Chinese stands alone.
    expect(byId.get('enrolment')!.reason).toBe("Because you chose '在京连续就读'");
    expect(r.answered[0]!.option).toEqual({ text: '在京连续就读' });
    expect(r.checklist!.timeLimit.text).toBe('Statutory time limit 20 working days; promised time limit 10 working days.');
    expect(r.checklist!.timeLimit.zh).toBe('法定办结时限20个工作日，承诺办结时限10个工作日。');
    // where to go: English name and address with the Chinese beside, English hours and note; no English, the Chinese
    expect(r.checklist!.locations).toEqual([
      {
        name: 'Household registration counter of your local police station (居住地派出所户籍窗口)',
        address: 'No. 2 Andingmen East Street, Dongcheng District, Beijing (北京市东城区安定门东大街2号)',
        hours: 'Mon–Fri 9:00–17:00', note: 'You can book online first.', phone: '010-12345678',
        transit: 'Metro Lines 2 and 5 to Yonghegong Station',
      },
      { name: '自助签注点', address: '各出入境接待大厅', hours: '以各设置点开放时间为准' },
    ]);
    expect(guides.evaluate('permit', { basis: 'study', 'by-proxy': 'proxy' }).checklist!.locations[0]).toEqual({
      name: '居住地派出所户籍窗口', address: '北京市东城区安定门东大街2号', hours: '周一至周五 9:00-17:00', note: '可先网上预约。', phone: '010-12345678',
      transit: '地铁2号线、5号线雍和宫站',
    });
  });
});

describe('evaluate: asking only what can still change the checklist', () => {
  it('skips a question that no longer decides any material', () => {
    const r = guides.evaluate('nested', { a: 'y' });
    expect(r.next?.id).toBe('c');
    const done = guides.evaluate('nested', { a: 'y', c: 'w' });
    expect(done.complete).toBe(true);
    expect(ids(done.checklist!.materials)).toEqual(['always']);
  });

  it('asks the dependent question when it matters', () => {
    expect(guides.evaluate('nested', { a: 'x' }).next?.id).toBe('b');
  });

  it('settles materials exactly, beyond what Kleene logic sees', () => {
    const r = guides.evaluate('redundant', { a: 'x' });
    expect(r.complete).toBe(true);
    expect(ids(r.checklist!.materials)).toEqual(['always', 'm']);
  });

  it('an item without questions is not a guide, but still has a checklist', () => {
    expect(guides.has('plain')).toBe(false);
    expect(guides.has('permit')).toBe(true);
    expect(guides.has('nope')).toBe(false);
    const c = guides.checklist('plain', {});
    expect(c.complete).toBe(true);
    expect(ids(c.materials)).toEqual(['always']);
  });
});

describe('evaluate: going back and changing an answer', () => {
  it('drops the later answers that no longer apply and reports them', () => {
    const before = guides.evaluate('nested', { a: 'x', b: 'p', c: 'z' });
    expect(ids(before.checklist!.materials)).toEqual(['always', 'm-ab', 'm-c']);
    const after = guides.evaluate('nested', { a: 'y', b: 'p', c: 'z' });
    expect(after.dropped).toEqual([{ questionId: 'b', optionId: 'p', question: { text: '问题b？' } }]);
    expect(after.answered.map((a) => a.questionId)).toEqual(['a', 'c']);
    expect(after.complete).toBe(true);
    expect(ids(after.checklist!.materials)).toEqual(['always', 'm-c']);
  });

  it('keeps later answers that still apply while an earlier question is newly open', () => {
    // The user answered c, then went back and is yet to answer a (which now opens b).
    const r = guides.evaluate('nested', { c: 'z' });
    expect(r.next?.id).toBe('a');
    expect(r.dropped).toEqual([]);
    expect(ids(r.materials.required)).toEqual(['always', 'm-c']);
    expect(guides.evaluate('nested', { a: 'x', c: 'z' }).next?.id).toBe('b');
  });
});

describe('checklist: everything needed at the window, cited', () => {
  const c = guides.checklist('permit', { basis: 'rented-home', 'by-proxy': 'self' });
  it('carries eligibility, places, channels, time limit, fees and legal basis', () => {
    expect(c.complete).toBe(true);
    expect(c.item).toMatchObject({ id: 'permit', title: { text: '事项permit' }, department: { text: '北京市公安局' }, updatedAt: '2026-09-01' });
    expect(c.eligibility).toEqual([{ text: '年满16周岁' }]);
    expect(c.locations[0]).toMatchObject({ name: '居住地派出所户籍窗口', hours: '周一至周五 9:00-17:00' });
    expect(c.online).toEqual({ level: '全程网办', jingtong: '京通 → 办事 → 测试', url: 'https://example.gov.cn/apply' });
    expect(c.timeLimit.text).toBe('法定办结时限20个工作日，承诺办结时限10个工作日。');
    expect(c.fees.text).toBe('不收费。');
    expect(c.legalBasis).toEqual([{ title: '测试条例', clause: '第三条', policyId: 'test-policy', url: 'https://example.gov.cn/policy' }]);
    expect(c.citation).toBe('依据：《事项permit》办事指南，更新于 2026-09-01（https://banshi.beijing.gov.cn/permit.html）');
  });
  it('English eligibility keeps the Chinese beside', () => {
    const en = guides.checklist('permit', { basis: 'rented-home', 'by-proxy': 'self' }, 'en');
    expect(en.eligibility).toEqual([{ text: 'Aged 16 or over', zh: '年满16周岁' }]);
    expect(en.online.level).toBe('Fully online');
    expect(en.citation).toContain('last updated 2026-09-01');
  });
  it('a snapshot holds both languages, the item version and the KB hash', () => {
    const s = guides.snapshot('permit', { basis: 'rented-home', 'by-proxy': 'self' }, 'en');
    expect(s).toMatchObject({ itemId: 'permit', itemUpdatedAt: '2026-09-01', kbHash: 'test-hash', lang: 'en', answers: { basis: 'rented-home', 'by-proxy': 'self' } });
    expect(s.checklists.zh.lang).toBe('zh');
    expect(s.checklists.en.lang).toBe('en');
  });
});

describe('bad input', () => {
  const codeOf = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      if (isDaobanError(e)) return [e.code, e.message];
    }
    return undefined;
  };
  it('names the field and the allowed values', () => {
    expect(codeOf(() => guides.evaluate('nope', {}))).toEqual(['DB_UNKNOWN_ITEM', 'Unknown service item "nope" (field "itemId")']);
    expect(codeOf(() => guides.evaluate('plain', {}))?.[0]).toBe('DB_NO_GUIDE');
    expect(codeOf(() => guides.evaluate('permit', { colour: 'red' }))).toEqual([
      'DB_UNKNOWN_QUESTION', 'Unknown question "colour" (field "answers"); allowed: basis, by-proxy',
    ]);
    expect(codeOf(() => guides.evaluate('permit', { basis: 'retired' }))).toEqual([
      'DB_UNKNOWN_OPTION', 'Unknown option "retired" for question "basis" (field "answers.basis"); allowed: employment, rented-home, study',
    ]);
    expect(codeOf(() => guides.evaluate('permit', { basis: 3 } as never))?.[0]).toBe('DB_INVALID_FIELD');
  });
});
