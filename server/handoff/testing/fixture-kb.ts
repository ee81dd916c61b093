/** A small in-memory KnowledgeBase for handoff tests: two themes, three departments, one item, a calendar. */
import type { KnowledgeBase } from '../../kb/knowledge-base.ts';
import type { Calendar, Department, Question, ServiceItem, Theme } from '../../kb/schema.ts';

/** Monday 2025-01-06 10:00 Beijing time: inside working hours. */
export const OPEN_TIME = Date.UTC(2025, 0, 6, 2, 0);
/** Monday 2025-01-06 20:00 Beijing time: after hours; opens Tuesday 09:00. */
export const AFTER_HOURS_TIME = Date.UTC(2025, 0, 6, 12, 0);
export const NEXT_OPENING = Date.UTC(2025, 0, 7, 1, 0);

export const FIXTURE_CALENDAR: Calendar = {
  timezone: 'Asia/Shanghai',
  workingHours: [{ weekdays: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' }],
  holidays: [{ name: '春节', from: '2025-01-28', to: '2025-02-04' }],
  workdays: [{ date: '2025-01-26', name: '春节调休上班' }],
};

const themes: Theme[] = [
  { id: 'residence-permit', name: '居住证', nameEn: 'Residence permit' },
  { id: 'housing-fund', name: '住房公积金', nameEn: 'Housing fund' },
];

const departments: Department[] = [
  { id: 'bj-psb', name: '北京市公安局', nameEn: 'Beijing PSB', skill: 'public-security', themes: ['residence-permit'], handles: '户籍登记与迁移、居住登记与居住证', hotline: '010-85225050' },
  { id: 'bj-housing-fund', name: '北京住房公积金管理中心', nameEn: 'Beijing Housing Fund', skill: 'housing', themes: ['housing-fund'], handles: '住房公积金缴存、提取、贷款', hotline: '12329' },
  { id: 'bj-service-bureau', name: '北京市政务服务和数据管理局', nameEn: 'Beijing Service Bureau', skill: 'general', themes: [], handles: '政务服务综合咨询、12345 市民服务热线', hotline: '12345' },
];

const basis: Question = {
  id: 'basis', text: '您依据哪种条件申领？', options: [
    { id: 'employment', label: '就业', hints: [] },
    { id: 'study', label: '就读', hints: [] },
  ],
};

export const RP_FIRST: ServiceItem = {
  id: 'rp-first', title: '北京市居住证首次申领', aliases: ['办居住证'], aliasesEn: [], department: 'bj-psb', theme: 'residence-permit',
  audience: ['个人'], level: '市级', summary: '非本市户籍人员居住登记满半年可申领居住证。', conditions: [], conditionsEn: [],
  questions: [basis],
  materials: [{ id: 'id-card', name: '居民身份证', form: '原件', copies: 1 }],
  process: [{ title: '到派出所提交申请' }],
  timeLimit: { statutoryDays: 15, promisedDays: 10, unit: '工作日' },
  fees: { free: true, items: [] }, locations: [], online: { level: '网上预审' }, legalBasis: [], faqs: [], keywords: [],
  sourceUrl: 'https://banshi.beijing.gov.cn/rp-first', updatedAt: '2024-12-01',
};

export function fixtureKb(overrides: Partial<KnowledgeBase> = {}): KnowledgeBase {
  return {
    hash: 'fixture', root: '/fixture', loadedAt: new Date(OPEN_TIME).toISOString(),
    items: [RP_FIRST], itemsById: new Map([[RP_FIRST.id, RP_FIRST]]),
    policies: [], policiesById: new Map(), faqs: [], faqsById: new Map(),
    themes, themesById: new Map(themes.map((t) => [t.id, t])),
    departments, departmentsById: new Map(departments.map((d) => [d.id, d])),
    questionLibrary: new Map([[basis.id, basis]]), calendar: FIXTURE_CALENDAR, synonyms: [], scenarios: [], userDict: [],
    sourceFiles: new Map(),
    ...overrides,
  };
}
