/**
 * Test support: small knowledge bases built by hand, so guide tests do not depend on the content being
 * written in knowledge-base/.
 */
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type { Material, Question, ServiceItem } from '../kb/schema.ts';

export const BY_PROXY: Question = {
  id: 'by-proxy',
  text: '您是本人办理，还是委托他人代办？',
  textEn: 'Are you applying in person, or is someone applying on your behalf?',
  options: [
    { id: 'self', label: '本人办理', labelEn: 'In person', hints: ['我自己', '本人', '自己去', '我本人'] },
    { id: 'proxy', label: '委托他人代办', labelEn: 'By proxy', hints: ['代办', '代理', '替', '帮', '委托', '我爸', '我妈'] },
  ],
};

export const KIND: Question = {
  id: 'application-kind',
  text: '这次是首次申请，还是到期换领、遗失补领？',
  textEn: 'Is this a first application, a renewal, or a replacement for a lost document?',
  options: [
    { id: 'first', label: '首次申请', labelEn: 'First application', hints: ['第一次', '首次', '新办', '初次'] },
    { id: 'renewal', label: '到期换领', labelEn: 'Renewal', hints: ['到期', '过期', '换证', '换领', '续'] },
    { id: 'lost', label: '遗失补领', labelEn: 'Lost or stolen', hints: ['丢了', '遗失', '丢失', '被偷', '补办', '补领'] },
  ],
};

export const HOUSEHOLD: Question = {
  id: 'household',
  text: '申请人是否为北京市户籍？',
  options: [
    { id: 'local', label: '北京市户籍', labelEn: 'Beijing hukou', hints: ['北京户口', '京籍', '本市户口'] },
    { id: 'nonlocal', label: '非北京市户籍', labelEn: 'Non-Beijing hukou', hints: ['外地', '非京籍', '外省'] },
  ],
};

export function material(id: string, when?: Material['when'], extra: Partial<Material> = {}): Material {
  return { id, name: `材料${id}`, form: '原件', copies: 1, ...(when ? { when } : {}), ...extra };
}

export function item(id: string, questions: Question[], materials: Material[], extra: Partial<ServiceItem> = {}): ServiceItem {
  return {
    id,
    title: `事项${id}`,
    titleEn: `Item ${id}`,
    aliases: [],
    aliasesEn: [],
    department: 'bj-psb',
    theme: 'test',
    audience: ['个人'],
    level: '市级',
    summary: '测试事项。',
    conditions: ['年满16周岁'],
    conditionsEn: ['Aged 16 or over'],
    questions,
    materials,
    process: [{ title: '提交申请', titleEn: 'Apply' }],
    timeLimit: { statutoryDays: 20, promisedDays: 10, unit: '工作日' },
    fees: { free: true, items: [] },
    locations: [{ name: '政务服务中心', address: '北京市某区某路1号', hours: '工作日 9:00-17:00' }],
    online: { level: '全程网办', jingtong: '京通 → 办事 → 测试', url: 'https://example.gov.cn/apply' },
    legalBasis: [{ title: '测试条例', policy: 'test-policy', clause: '第三条' }],
    faqs: [],
    keywords: [],
    sourceUrl: `https://banshi.beijing.gov.cn/${id}.html`,
    updatedAt: '2026-09-01',
    ...extra,
  };
}

/** A KnowledgeBase holding just these items (plus one department and one policy for citations). */
export function kbOf(items: ServiceItem[], hash = 'test-hash'): KnowledgeBase {
  const department = {
    id: 'bj-psb', name: '北京市公安局', nameEn: 'Beijing Public Security Bureau', skill: 'police', themes: [], handles: '户政',
  };
  const policy = {
    id: 'test-policy', title: '测试条例', issuer: '北京市人民政府', issuedAt: '2020-01-01', effectiveAt: '2020-01-01',
    status: 'in-force' as const, summary: '测试。', clauses: [], themes: ['test'], url: 'https://example.gov.cn/policy',
  };
  return {
    hash,
    root: '/nonexistent',
    loadedAt: '2026-09-20T00:00:00.000Z',
    items,
    itemsById: new Map(items.map((i) => [i.id, i])),
    policies: [policy],
    policiesById: new Map([[policy.id, policy]]),
    faqs: [],
    faqsById: new Map(),
    themes: [],
    themesById: new Map(),
    departments: [department],
    departmentsById: new Map([[department.id, department]]),
    questionLibrary: new Map([BY_PROXY, KIND, HOUSEHOLD].map((q) => [q.id, q])),
    calendar: { timezone: 'Asia/Shanghai', workingHours: [{ weekdays: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' }], holidays: [], workdays: [] },
    synonyms: [],
    scenarios: [],
    userDict: [],
    sourceFiles: new Map(items.map((i) => [i.id, `items/${i.theme}/${i.id}.yaml`])),
  };
}
