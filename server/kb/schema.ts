/**
 * The knowledge-base file formats, as zod schemas. These are the single source of truth:
 * the TypeScript types below are inferred from them, and `npm run kb:schema` exports them
 * as JSON Schema for editors.
 *
 * Layout of `knowledge-base/`:
 *   themes.yaml                 Theme[]
 *   departments.yaml            Department[]
 *   questions.yaml              Question[]   (shared library of situational questions)
 *   calendar.yaml               Calendar
 *   scenarios/*.yaml            Scenario[]
 *   synonyms/*.yaml             string[][]   (first term of each group is the canonical one)
 *   dict/*.dict.txt             jieba user dictionary ("word [freq] [tag]" per line)
 *   items/<theme>/<id>.yaml     ServiceItem  (one file per item)
 *   policies/<theme>.yaml       Policy[]
 *   faqs/<theme>.yaml           Faq[]        (general FAQs; item FAQs live in the item)
 * (schema/ holds the exported JSON Schemas; files outside this layout are reported and ignored.)
 *
 * Editor support: `npm run kb:schema` writes knowledge-base/schema/<kind>.schema.json (committed; a test
 * fails when they drift from this file). Editors with the YAML language server (VS Code's YAML extension,
 * Neovim, JetBrains) validate and complete a file that starts with a modeline naming its schema,
 * relative to the file:
 *   # yaml-language-server: $schema=../../schema/item.schema.json      (items/<theme>/<id>.yaml)
 *   # yaml-language-server: $schema=../schema/policies.schema.json     (policies/, faqs/, scenarios/, synonyms/)
 *   # yaml-language-server: $schema=schema/calendar.schema.json        (top-level files)
 * `npm run kb:validate` runs the full check (references, dates, conditions) the JSON Schemas cannot express.
 */
import { z } from 'zod/v4';

export const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const Id = z.string().regex(ID_PATTERN, 'must be lowercase letters, digits and hyphens');

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    message: 'is not a real calendar date',
  });

const Text = z.string().trim().min(1, 'must not be empty');
const OptText = Text.optional();
const Url = z.url({ message: 'must be an absolute http(s) URL' });

export const BEIJING_DISTRICTS = [
  '东城区', '西城区', '朝阳区', '海淀区', '丰台区', '石景山区', '门头沟区', '房山区',
  '通州区', '顺义区', '昌平区', '大兴区', '怀柔区', '平谷区', '密云区', '延庆区',
] as const;

// ---------------------------------------------------------------------------
// Conditions: a small declarative language over situational answers.
//   { by-proxy: proxy }                      question answered with that option
//   { household: [nonlocal, overseas] }      answered with one of these options
//   { a: x, b: y }                           several keys: all must hold
//   { all: [c1, c2] }  { any: [c1, c2] }  { not: c }
// Every question has a finite set of options, so conditions can be enumerated and analysed.
// ---------------------------------------------------------------------------
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { [questionId: string]: string | string[] };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(Condition).min(1) }),
    z.strictObject({ any: z.array(Condition).min(1) }),
    z.strictObject({ not: Condition }),
    z
      .record(Id, z.union([Id, z.array(Id).min(1)]))
      .refine((r) => Object.keys(r).length > 0, { message: 'a condition needs at least one question' }),
  ]),
);

// ---------------------------------------------------------------------------
// Situational questions (情形)
// ---------------------------------------------------------------------------
export const QuestionOption = z.strictObject({
  id: Id,
  label: Text,
  labelEn: OptText,
  /** Free-text phrases that mean this option ("我是替我爸办的" → proxy). */
  hints: z.array(Text).default([]),
});

export const Question = z.strictObject({
  id: Id,
  text: Text,
  textEn: OptText,
  help: OptText,
  helpEn: OptText,
  options: z.array(QuestionOption).min(2, 'a question needs at least two options'),
});

/** An item's question: a full question, or a reference to the shared library (optionally re-worded). */
export const ItemQuestion = z.union([
  Question,
  z.strictObject({ ref: Id, text: OptText, textEn: OptText, help: OptText, helpEn: OptText }),
]);

// ---------------------------------------------------------------------------
// Service items (事项)
// ---------------------------------------------------------------------------
export const MATERIAL_FORMS = ['原件', '复印件', '原件及复印件', '电子材料', '原件或电子证照'] as const;

export const Material = z.strictObject({
  id: Id,
  name: Text,
  nameEn: OptText,
  form: z.enum(MATERIAL_FORMS),
  copies: z.number().int().min(1).max(20).default(1),
  notes: OptText,
  notesEn: OptText,
  template: z.strictObject({ name: Text, url: Url }).optional(),
  /** When the material is required; omitted = always. */
  when: Condition.optional(),
});

export const ProcessStep = z.strictObject({ title: Text, titleEn: OptText, detail: OptText, detailEn: OptText });

export const TimeLimit = z.strictObject({
  /** 法定办结时限 (null: none set by law). */
  statutoryDays: z.number().int().min(0).nullable(),
  /** 承诺办结时限; 0 means 即办 (done on the spot). */
  promisedDays: z.number().int().min(0),
  unit: z.enum(['工作日', '自然日']).default('工作日'),
  note: OptText,
  noteEn: OptText,
});

export const Fee = z.strictObject({
  name: Text,
  nameEn: OptText,
  amount: z.number().min(0),
  unit: Text, // e.g. 元/本, 元/件
  basis: OptText,
  basisEn: OptText,
  note: OptText,
});

export const Fees = z.strictObject({
  free: z.boolean(),
  items: z.array(Fee).default([]),
  note: OptText,
  noteEn: OptText,
});

export const Location = z.strictObject({
  name: Text,
  nameEn: OptText,
  address: Text,
  addressEn: OptText,
  district: z.enum(BEIJING_DISTRICTS).optional(),
  phone: OptText,
  hours: Text,
  hoursEn: OptText,
  transit: OptText,
  transitEn: OptText,
  note: OptText,
  noteEn: OptText,
});

export const ONLINE_LEVELS = ['全程网办', '网上预审', '网上预约', '仅限窗口'] as const;

export const Online = z.strictObject({
  level: z.enum(ONLINE_LEVELS),
  /** Where to find it in the 京通 app / mini-program, e.g. "京通 → 办事 → 公安 → 居住证签注". */
  jingtong: OptText,
  url: Url.optional(),
  note: OptText,
  noteEn: OptText,
});

export const Appointment = z.strictObject({
  required: z.boolean(),
  channels: z.array(Text).default([]),
  note: OptText,
});

export const LegalBasis = z.strictObject({
  title: Text,
  /** The policy's id in `policies/`, when the knowledge base carries it. */
  policy: Id.optional(),
  clause: OptText,
});

export const Contact = z.strictObject({ phone: OptText, hotline: OptText, note: OptText });

export const ItemFaq = z.strictObject({ q: Text, a: Text, qEn: OptText, aEn: OptText });

export const ServiceItem = z.strictObject({
  id: Id,
  title: Text,
  titleEn: OptText,
  /** Common names citizens use (办居住证, 暂住证, ...). */
  aliases: z.array(Text).default([]),
  aliasesEn: z.array(Text).default([]),
  /** Items of one family are variants of one need (首次申领 / 签注 / 补领): a vague question about the family is clarified. */
  family: Id.optional(),
  department: Id,
  theme: Id,
  audience: z.array(z.enum(['个人', '法人'])).min(1),
  level: z.enum(['市级', '区级']),
  district: z.enum(BEIJING_DISTRICTS).optional(),
  summary: Text,
  summaryEn: OptText,
  /** 申请条件 (eligibility). */
  conditions: z.array(Text).default([]),
  conditionsEn: z.array(Text).default([]),
  questions: z.array(ItemQuestion).default([]),
  materials: z.array(Material).min(1, 'an item needs at least one material'),
  process: z.array(ProcessStep).min(1),
  timeLimit: TimeLimit,
  fees: Fees,
  locations: z.array(Location).default([]),
  online: Online,
  appointment: Appointment.optional(),
  legalBasis: z.array(LegalBasis).default([]),
  contact: Contact.optional(),
  faqs: z.array(ItemFaq).default([]),
  keywords: z.array(Text).default([]),
  sourceUrl: Url,
  updatedAt: IsoDate,
  effectiveAt: IsoDate.optional(),
});

// ---------------------------------------------------------------------------
// Policies, FAQs, reference data
// ---------------------------------------------------------------------------
export const Clause = z.strictObject({ no: Text, text: Text });

export const Policy = z.strictObject({
  id: Id,
  title: Text,
  titleEn: OptText,
  /** 文号, e.g. 京政发〔2016〕3号; laws passed by a congress have none. */
  docNumber: OptText,
  issuer: Text,
  issuedAt: IsoDate,
  effectiveAt: IsoDate,
  expiredAt: IsoDate.optional(),
  status: z.enum(['in-force', 'expired']),
  summary: Text,
  clauses: z.array(Clause).default([]),
  themes: z.array(Id).min(1),
  url: Url,
});
export const PolicyFile = z.array(Policy);

export const Faq = z.strictObject({
  id: Id,
  question: Text,
  /** Other ways citizens ask the same thing. */
  alternates: z.array(Text).default([]),
  answer: Text,
  questionEn: OptText,
  answerEn: OptText,
  theme: Id,
  items: z.array(Id).default([]),
  updatedAt: IsoDate,
});
export const FaqFile = z.array(Faq);

export const Theme = z.strictObject({ id: Id, name: Text, nameEn: Text, description: OptText });
export const ThemeFile = z.array(Theme);

export const Department = z.strictObject({
  id: Id,
  name: Text,
  nameEn: Text,
  /** Navigator skill that handles this department's conversations. */
  skill: Id,
  /** Dispatch catalogue: the themes this department handles, and a description. */
  themes: z.array(Id).default([]),
  handles: Text,
  hotline: OptText,
  website: Url.optional(),
  address: OptText,
});
export const DepartmentFile = z.array(Department);

export const QuestionFile = z.array(Question);

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time written HH:MM');

export const Calendar = z.strictObject({
  timezone: Text,
  /** Regular opening of the navigator service; weekdays 1 = Monday ... 7 = Sunday. */
  workingHours: z
    .array(z.strictObject({ weekdays: z.array(z.number().int().min(1).max(7)).min(1), open: HHMM, close: HHMM }))
    .min(1),
  /** Statutory holidays: closed even on a weekday. */
  holidays: z.array(z.strictObject({ name: Text, from: IsoDate, to: IsoDate })).default([]),
  /** Adjusted working days (调休): open even on a weekend. */
  workdays: z.array(z.strictObject({ date: IsoDate, name: Text })).default([]),
});

export const SynonymFile = z.array(z.array(Text).min(2, 'a synonym group needs at least two terms'));

export const Scenario = z.strictObject({
  id: Id,
  name: Text,
  nameEn: OptText,
  description: Text,
  keywords: z.array(Text).default([]),
  items: z.array(Id).min(1),
  faqs: z.array(Id).default([]),
});
export const ScenarioFile = z.array(Scenario);

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------
export type QuestionOption = z.infer<typeof QuestionOption>;
export type Question = z.infer<typeof Question>;
export type ItemQuestion = z.infer<typeof ItemQuestion>;
export type Material = z.infer<typeof Material>;
export type MaterialForm = (typeof MATERIAL_FORMS)[number];
export type ProcessStep = z.infer<typeof ProcessStep>;
export type TimeLimit = z.infer<typeof TimeLimit>;
export type Fee = z.infer<typeof Fee>;
export type Fees = z.infer<typeof Fees>;
export type Location = z.infer<typeof Location>;
export type Online = z.infer<typeof Online>;
export type Appointment = z.infer<typeof Appointment>;
export type LegalBasis = z.infer<typeof LegalBasis>;
export type ItemFaq = z.infer<typeof ItemFaq>;
export type ServiceItemFile = z.infer<typeof ServiceItem>;
export type Policy = z.infer<typeof Policy>;
export type Faq = z.infer<typeof Faq>;
export type Theme = z.infer<typeof Theme>;
export type Department = z.infer<typeof Department>;
export type Calendar = z.infer<typeof Calendar>;
export type Scenario = z.infer<typeof Scenario>;
export type SynonymGroup = string[];

/** A service item as loaded: library question references resolved to full questions. */
export type ServiceItem = Omit<ServiceItemFile, 'questions'> & { questions: Question[] };
