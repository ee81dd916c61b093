/**
 * A small, valid knowledge base for tests, written to a fresh temp directory. Tests replace or
 * delete single files to provoke exactly one kind of problem.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** "Today" for the fixture's date checks. */
export const FIXTURE_NOW = new Date('2026-11-22T04:00:00Z');

export const FIXTURE_FILES: Readonly<Record<string, string>> = {
  'themes.yaml': `- { id: residence-permit, name: 居住证, nameEn: Residence Permit }
- { id: household, name: 户籍, nameEn: Household Registration }
`,
  'departments.yaml': `- id: bj-psb
  name: 北京市公安局
  nameEn: Beijing Municipal Public Security Bureau
  skill: public-security
  themes: [residence-permit, household]
  handles: 户籍、居住证
  hotline: "010-85225050"
`,
  'questions.yaml': `- id: by-proxy
  text: 您是本人办理，还是委托他人代办？
  options:
    - { id: self, label: 本人办理 }
    - { id: proxy, label: 委托他人代办, hints: [代办] }
`,
  'calendar.yaml': `timezone: Asia/Shanghai
workingHours:
  - { weekdays: [1, 2, 3, 4, 5], open: "09:00", close: "17:00" }
holidays:
  - { name: 国庆节, from: 2026-10-01, to: 2026-10-07 }
workdays:
  - { date: 2026-10-10, name: 国庆节调休上班 }
`,
  'items/residence-permit/rp-first.yaml': `id: rp-first
title: 北京市居住证首次申领
titleEn: First Beijing Residence Permit
aliases: [办居住证]
department: bj-psb
theme: residence-permit
audience: [个人]
level: 市级
summary: 非本市户籍人员居住登记满半年可申领居住证。
summaryEn: Non-Beijing residents registered for six months may apply.
questions:
  - id: basis
    text: 您依据哪种条件申领？
    options:
      - { id: employment, label: 就业 }
      - { id: study, label: 就读 }
  - ref: by-proxy
    text: 您本人去派出所，还是家属代办？
materials:
  - { id: id-card, name: 居民身份证, nameEn: ID card, form: 原件 }
  - { id: labour-contract, name: 劳动合同, nameEn: Labour contract, form: 原件及复印件, when: { basis: employment } }
  - { id: enrollment-proof, name: 在读证明, nameEn: Enrolment proof, form: 原件, when: { basis: study } }
  - id: authorization
    name: 委托书
    nameEn: Letter of authorisation
    form: 原件
    when: { all: [{ by-proxy: proxy }, { not: { basis: study } }] }
process:
  - { title: 提交申请 }
timeLimit: { statutoryDays: 15, promisedDays: 15, unit: 自然日 }
fees: { free: true }
online: { level: 网上预审 }
legalBasis:
  - { title: 居住证暂行条例, policy: rp-regulations }
faqs:
  - { q: 居住证有效期多久？, a: 一年。 }
sourceUrl: https://banshi.beijing.gov.cn/rp-first.html
updatedAt: 2026-09-15
effectiveAt: 2016-10-01
`,
  'items/household/hukou-move.yaml': `id: hukou-move
title: 朝阳区户口迁入
department: bj-psb
theme: household
audience: [个人]
level: 区级
district: 朝阳区
summary: 户口迁入朝阳区。
materials:
  - { id: hukou-book, name: 户口簿, form: 原件 }
process:
  - { title: 提交申请 }
timeLimit: { statutoryDays: null, promisedDays: 0 }
fees: { free: true }
online: { level: 仅限窗口 }
sourceUrl: https://banshi.beijing.gov.cn/hukou-move.html
updatedAt: 2026-01-10
`,
  'policies/residence-permit.yaml': `- id: rp-regulations
  title: 居住证暂行条例
  docNumber: 国务院令第663号
  issuer: 国务院
  issuedAt: 2015-11-26
  effectiveAt: 2016-01-01
  status: in-force
  summary: 规定居住证的申领条件和公共服务。
  themes: [residence-permit]
  url: https://www.gov.cn/rp.html
- id: old-measures
  title: 北京市暂住人口管理规定
  issuer: 北京市人民政府
  issuedAt: 1995-07-15
  effectiveAt: 1995-07-15
  expiredAt: 2016-10-01
  status: expired
  summary: 已废止。
  themes: [residence-permit]
  url: https://www.beijing.gov.cn/old.html
`,
  'faqs/residence-permit.yaml': `- id: rp-validity
  question: 居住证有效期多久？
  answer: 北京市居住证有效期为一年。
  theme: residence-permit
  items: [rp-first]
  updatedAt: 2026-03-01
`,
  'scenarios/moving.yaml': `- id: moving-to-beijing
  name: 来京工作生活
  description: 初到北京需要办理的事项。
  items: [rp-first, hukou-move]
  faqs: [rp-validity]
`,
  'synonyms/common.yaml': `- [居住证, 暂住证]
- [户口, 户籍]
`,
  'dict/kb.dict.txt': `居住证 100 n
# 地名
朝阳区 nz

户口迁入 50
`,
};

/** Writes the fixture with some files replaced (a string) or removed (null) into a new temp directory. */
export function writeFixtureKb(changes: Record<string, string | null> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-kb-'));
  const files: Record<string, string | null> = { ...FIXTURE_FILES, ...changes };
  for (const [rel, text] of Object.entries(files)) {
    if (text === null) continue;
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

/** The fixture's text of one file with `from` replaced by `to` (which must occur). */
export function edit(rel: string, from: string, to: string): Record<string, string> {
  const text = FIXTURE_FILES[rel];
  if (text === undefined || !text.includes(from)) throw new Error(`fixture ${rel} does not contain ${JSON.stringify(from)}`);
  return { [rel]: text.replace(from, to) };
}
