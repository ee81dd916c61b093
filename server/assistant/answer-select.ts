/**
 * Within-item answer selection: once the service is known, which of its sources answers the question asked.
 * An item FAQ or a general FAQ of the item that speaks of what the question adds beyond the service's name
 * ("一个月多少钱", "一方来不了", "爸妈买房") answers before any structured field; a deadline, period or benefit
 * amount asked with time or money words ("多少天内申请", "公告多少天", "补贴多少钱") is answered from the sentences
 * of the item that state one, not from the processing time or the fee; otherwise the aspect, else the overview.
 * Work per question is bounded by one item's texts (its FAQs, its general FAQs, its fields).
 */
import type { Faq, ItemFaq, Policy, ServiceItem } from '../kb/schema.ts';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import { normalizeText } from '../retrieval/index.ts';
import { detectAspect, subjectOf, type Aspect } from './aspects.ts';
import { faqCitation, itemCitation, itemTitle } from './citations.ts';
import { composeAspect, composeFaq, composeItemFaq, composeOverview, type ComposeContext, type Composed } from './compose-extractive.ts';
import { extractFigures } from './grounding.ts';
import { normalize } from './language.ts';

/** What the question asks for beyond an aspect. */
export interface AskShape {
  /** A time by which something must be done, or how long a period lasts ("多少天内", "到期前多少天", "公告多少天"). */
  deadline: boolean;
  /** An amount received rather than paid (补贴多少钱, 能提多少, 能贷多少). */
  benefit: boolean;
  /** A yes/no question ("能代办吗", "要不要", "用不用"). */
  yesNo: boolean;
}

const DEADLINE_ZH = /(多少|几)(个)?(天|日|工作日|月|年)(之内|以内|内)|最(长|多)[^，,。？?]{0,6}(多少|几)(个)?(天|日|月|年)|(多少|几)(个)?(年|月)(?![前份])|多久(之内|以内|内)|多长时间(之内|以内|内)|(到期|期满|过期)前|提前(多少|几)|截止|最晚|最迟|期限|逾期|超过(多少|几)|有效期|(公告|公示|冷静期|等待期)(期)?(要|需要|得)?(多少|几|多久|多长)/;
const DEADLINE_EN = /how many days do i have|within how many|\bdeadline\b|how long do i have|no later than|by when|how long is .* valid|valid for how long/;
const BENEFIT_ZH = /(补贴|津贴|补助|救助金|抚恤|失业金|失业保险金|养老金|生育津贴|退役金|奖励|返还|报销)[^，,。？?]*(多少钱|多少元|几块|多少(?![个天日月年周次]))|(领|提|提取|贷|拿|报|报销|发|补|给)(多少|几)(?![个天日月年周次])|最(多|高)(能|可以)?(领|提|贷|拿|报|补)?多少(?![个天日月年周次])|免[^，,。？?]*(多少钱|以内)|多少钱?[^，,。？?]*以内/;
const BENEFIT_EN = /how much (can|will|do) i (get|receive|withdraw|borrow|claim)|how much is the (subsidy|allowance|benefit)/;
const YES_NO_ZH = /(吗|么|不|没|没有)\s*[?？。!！]*\s*$|能不能|可不可以|可以不|要不要|用不用|需不需要|是不是|会不会|有没有|还(要|需要|能|可以)|一定要|必须/;
const YES_NO_EN = /^(can|could|may|do|does|is|are|will|must|should|have)\b/;

/** A yes/no question about one thing to bring ("还要带户口本吗"): answered, not turned into a checklist. */
export function asksAboutOneMaterial(message: string): boolean {
  const text = normalize(message);
  return askShape(text).yesNo && !/什么|啥|哪些|哪几|what|which/.test(text);
}

/** Whether words of the subject occur among the item's materials (names and notes): "体检报告要吗" → 体检. */
export function speaksOfMaterials(item: ServiceItem, subject: string): boolean {
  const text = item.materials.map((m) => `${m.name}\n${m.notes ?? ''}`).join('\n');
  return [...grams(subject)].some((g) => /^[\u3400-\u9fff]{2}$/.test(g) && text.includes(g));
}

export function askShape(message: string): AskShape {
  const text = normalize(message);
  return {
    deadline: DEADLINE_ZH.test(text) || DEADLINE_EN.test(text),
    benefit: BENEFIT_ZH.test(text) || BENEFIT_EN.test(text),
    yesNo: YES_NO_ZH.test(text) || YES_NO_EN.test(text),
  };
}

/** Whether a question asks a sum of money or a length of time ("多少钱" / "多少天"), if either. */
export function quantityAsked(text: string): 'money' | 'time' | undefined {
  const t = normalize(text);
  if (/(多少|几)(个)?(天|日|工作日|月|年|周)|多久|多长时间|how long|how many (days|months|years)/.test(t)) return 'time';
  if (/多少钱|几块|多少元|费用?(是)?多少|(补贴|津贴|补助|标准)[^，,。？?]*多少|(领|提|贷|发|补|给|报)多少|how much|\bcost|\bfee/.test(t)) return 'money';
  return undefined;
}

/** Colloquial words in the form FAQs and guides use, applied to both sides before comparing. */
const CANON: Array<[RegExp, string]> = [
  [/爸妈|父母亲|老人家|我爸|我妈|爹妈/g, '父母'],
  [/老婆|老公|媳妇|爱人|丈夫|妻子|夫妻|两口子|对象/g, '配偶'],
  [/孩子|小孩|娃|宝宝|儿子|女儿|子女/g, '子女'],
  [/一个月|每个月|每月|月/g, '月'],
  [/多少钱|多少元|几块钱/g, '多少'],
  [/啥|什么/g, '什么'],
  [/咋|怎么|怎样|如何/g, '怎么'],
  [/驾照|驾驶本/g, '驾驶证'],
  [/来不了|不能来|去不了|不能到场|不能去|到不了/g, '不能到场'],
  [/可以|能够|能/g, '能'],
  // taking money out of an account: 能取 ~ 能提 ~ 提取 ~ 取出
  [/提取|取出|(?<=能)取/g, '提'],
  [/需要|要/g, '要'],
  [/不给|不提供|没有|没/g, '没有'],
  [/辞职|离职/g, '辞职'],
  [/掏钱|花钱|出钱|付钱|交钱|收费/g, '收费'],
  [/法人/g, '法定代表人'],
  // a figure asked and a figure stated compare equal ("满几年" ~ "满10年", "多少天内" ~ "30日内")
  [/\d+(\.\d+)?|多少|几(?!乎)/g, '#'],
  [/天/g, '日'],
];

const FILLERS = /请问|你好|您好|我想|我要|想问|问一下|一下|那么|我们|他们|咱们|现在|的|了|啊|呀|吧|呢|吗|么|嘛|我|他|她|你/g;

function canon(text: string): string {
  let out = normalize(normalizeText(text, { traditional: false }));
  for (const [re, to] of CANON) out = out.replace(re, to);
  return out;
}

function grams(text: string): Set<string> {
  const latin = /^[\x00-\x7f]*$/.test(text);
  if (latin) return new Set(text.split(/\W+/).filter((w) => w.length > 2));
  const out = new Set<string>();
  for (const run of text.split(/[\s,.，。？?！!、；;：:“”"'()（）]+/)) {
    const chars = Array.from(run);
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  }
  return out;
}

/** Per knowledge base: an item's names (normalised, longest first) and the general FAQs about it. */
interface ItemIndex {
  names: Map<string, string[]>;
  faqs: Map<string, Faq[]>;
}
const indexes = new WeakMap<KnowledgeBase, ItemIndex>();

export function itemIndex(kb: KnowledgeBase): ItemIndex {
  let idx = indexes.get(kb);
  if (idx) return idx;
  idx = { names: new Map(), faqs: new Map() };
  for (const item of kb.items) {
    const names = [item.title, ...item.aliases, ...(item.titleEn ? [item.titleEn] : []), ...item.aliasesEn]
      .map(canon).filter((n) => n.length >= 2);
    idx.names.set(item.id, [...new Set(names)].sort((a, b) => b.length - a.length));
  }
  for (const faq of kb.faqs) {
    for (const id of faq.items) {
      const list = idx.faqs.get(id) ?? [];
      list.push(faq);
      idx.faqs.set(id, list);
    }
  }
  indexes.set(kb, idx);
  return idx;
}

/** What a text says beyond the item's names and the fillers: the part that tells its FAQs apart. */
function focus(text: string, names: readonly string[]): string {
  let out = canon(text);
  for (const n of names) out = out.split(n).join(' ');
  return out.replace(FILLERS, ' ').replace(/\s+/g, ' ').trim();
}

interface FaqCandidate {
  kind: 'item-faq' | 'faq';
  question: string;
  answer: string;
  itemFaq?: ItemFaq;
  faq?: Faq;
}

function candidates(kb: KnowledgeBase, item: ServiceItem, lang: 'zh' | 'en'): FaqCandidate[] {
  const out: FaqCandidate[] = [];
  for (const f of item.faqs) {
    const q = lang === 'en' && f.qEn ? f.qEn : f.q;
    out.push({ kind: 'item-faq', question: q, answer: lang === 'en' && f.aEn ? f.aEn : f.a, itemFaq: f });
  }
  for (const faq of itemIndex(kb).faqs.get(item.id) ?? []) {
    for (const q of [faq.question, ...faq.alternates, ...(faq.questionEn ? [faq.questionEn] : [])]) {
      out.push({ kind: 'faq', question: q, answer: lang === 'en' && faq.answerEn ? faq.answerEn : faq.answer, faq });
    }
  }
  return out;
}

export interface FaqMatch {
  candidate: FaqCandidate;
  score: number;
}

/**
 * How well each FAQ of the item answers the question: the overlap of what the question adds beyond the
 * service's name with the FAQ's question (Dice over character bigrams) and, less, with its answer.
 */
export function rankFaqs(kb: KnowledgeBase, item: ServiceItem, message: string, lang: 'zh' | 'en' = 'zh', aspect?: Aspect): FaqMatch[] {
  const names = itemIndex(kb).names.get(item.id) ?? [];
  const asked = grams(focus(message, names));
  if (!asked.size) return [];
  const shape = askShape(message);
  const asks = quantityAsked(message);
  const asksNumber = NUMBER_ASKED.test(normalize(message));
  const out: FaqMatch[] = [];
  for (const candidate of candidates(kb, item, lang)) {
    const q = grams(focus(candidate.question, names));
    const a = grams(canon(candidate.answer));
    let common = 0;
    for (const g of asked) if (q.has(g)) common++;
    let inAnswer = 0;
    for (const g of asked) if (a.has(g) || q.has(g)) inAnswer++;
    const dice = q.size ? (2 * common) / (asked.size + q.size) : 0;
    const coverage = inAnswer / asked.size;
    let score = 0.6 * dice + 0.4 * coverage;
    // a yes/no question is best answered by a yes/no FAQ, a "how much/how long" question by one that asks it
    const qShape = askShape(candidate.question);
    if (shape.yesNo && qShape.yesNo) score += 0.05;
    // "多少天" is not answered by "多少钱", nor the other way round
    const kind = quantityAsked(candidate.question);
    if (asks && kind && asks !== kind) score *= 0.5;
    // an aspect asked ("多久", "在哪") is answered by a FAQ about it, or one whose answer states it
    if (aspect && detectAspect(candidate.question) !== aspect && ASPECT_EVIDENCE[aspect] && !ASPECT_EVIDENCE[aspect]!.test(candidate.answer)) score *= 0.5;
    // "多少/几/多久" wants a figure in the answer
    if (asksNumber && !extractFigures(candidate.answer).length) score *= 0.5;
    // the FAQ's own question must speak of what is asked, not only its answer
    if (common === 0 || (common === 1 && coverage < 0.6)) score = Math.min(score, 0.2);
    out.push({ candidate, score });
  }
  return out.sort((x, y) => y.score - x.score);
}

/** Verbs and particles that add nothing to an aspect question ("能在网上弄吗"). */
const EXTRA_FILLERS = /[在弄搞整办做去到给用上下个能要不还就又都也该得怎么啥什#]/g;

const NUMBER_ASKED = /多少|几(?!乎)|多久|多大|多长|多高|how (much|many|long|old)/;

/** What an answer that speaks of an aspect contains. */
const ASPECT_EVIDENCE: Partial<Record<Aspect, RegExp>> = {
  timeLimit: /\d+\s*(个)?(工作日|自然日|日|天|小时|分钟)|当场|即时|即办|当天|当日|立即|马上|working day|on the spot|immediately|\bdays?\b/i,
  fee: /\d+(\.\d+)?\s*(万)?元|免费|不收费|收费|不收取|\byuan\b|\bfree\b|\bfee/i,
  where: /窗口|大厅|派出所|中心|地址|京通|网上|线上|街道|社保所|医院|app|小程序|在[^，。；]{1,16}(办理|开具|申请|领取|申报)|office|hall|online|centre|center/i,
  online: /京通|网上|线上|app|小程序|网站|全程网办|online|website/i,
  appointment: /预约|appointment/i,
  contact: /\d{5,}|电话|热线|phone|hotline/i,
};

/** How sure a FAQ match must be to answer in place of the aspect or overview. */
const FAQ_ANSWERS = 0.35;

/** Sentences of the item's own text, in the reply language (English beside when the item has it). */
function itemSentences(item: ServiceItem, lang: 'zh' | 'en'): Array<{ text: string; field: string }> {
  const en = lang === 'en';
  const pick = (zh: string | undefined, english: string | undefined) => (en && english ? english : zh);
  const out: Array<{ text: string; field: string }> = [];
  const add = (field: string, text: string | undefined) => {
    if (!text) return;
    for (const s of text.split(en ? /(?<=[.;])\s+/ : /(?<=[。；;])/)) {
      const t = s.trim();
      if (t.length >= 4) out.push({ text: t, field });
    }
  };
  item.conditions.forEach((c, i) => add('conditions', en ? item.conditionsEn[i] ?? c : c));
  add('timeLimit', pick(item.timeLimit.note, item.timeLimit.noteEn));
  add('summary', pick(item.summary, item.summaryEn));
  for (const f of item.faqs) add('faq', pick(f.a, f.aEn));
  add('online', pick(item.online.note, item.online.noteEn));
  add('fees', pick(item.fees.note, item.fees.noteEn));
  for (const m of item.materials) add('materials', pick(m.notes, m.notesEn));
  return out;
}

const PERIOD_ZH = /(\d+|[一二两三四五六七八九十百]+)\s*(个)?(工作日|自然日|日|天|个月|月|年|周岁)/;
const PERIOD_EN = /\b\d+\s*(working |calendar )?(days?|months?|years?)\b/;
const AMOUNT_ZH = /\d+(\.\d+)?\s*(万)?元|\d+%|\d+(\.\d+)?倍/;
const AMOUNT_EN = /\b\d+(\.\d+)?\s*(yuan|rmb|%)|\byuan\b/;

/** The sentences of the item that state the deadline, period or amount asked, best first. */
export function factSentences(kb: KnowledgeBase, item: ServiceItem, message: string, want: 'period' | 'amount', lang: 'zh' | 'en' = 'zh'): string[] {
  const names = itemIndex(kb).names.get(item.id) ?? [];
  const asked = grams(focus(subjectOf(message) || message, names));
  const pattern = want === 'period' ? (lang === 'en' ? PERIOD_EN : PERIOD_ZH) : (lang === 'en' ? AMOUNT_EN : AMOUNT_ZH);
  const text = normalize(message);
  const asksBefore = /前|提前|before/.test(text);
  const asksWithin = /内|within|how many days do i have/.test(text);
  const fieldOrder = ['conditions', 'faq', 'summary', 'timeLimit', 'fees', 'online', 'materials'];
  const scored = itemSentences(item, lang)
    .filter((s) => pattern.test(s.text))
    // a period asked as a deadline is stated with 内/前/起/满 ("60日内申领", "期满前90日"); processing times are not it
    .filter((s) => want !== 'period' || (lang === 'en' ? /within|before|after|of entry|valid|expire|from|up to|at most|longest/.test(s.text) : /内|前|起|满|期为|后|有效期|公告|逾期|超过|最长|最多|不超过/.test(s.text)))
    .map((s) => {
      const g = grams(canon(s.text));
      let common = 0;
      for (const x of asked) if (g.has(x)) common++;
      // a deadline asked ("多少天内", "到期前多少天") is stated as one ("60日内", "期满前90日")
      const within = lang === 'en' ? /within \d/.test(s.text) : /\d+\s*(个)?(工作日|自然日|日|天|个月|月|年)(之内|以内|内)/.test(s.text);
      const before = lang === 'en' ? /\d+ days? before/.test(s.text) : /前\s*\d+\s*(个)?(日|天|月)/.test(s.text);
      // the kind of deadline asked ("到期前多少天" → "期满前90日", "多少天内" → "60日内") counts most
      const marked = want !== 'period' ? 0 : (asksBefore && before) || (asksWithin && within) ? 1 : within || before ? 0.5 : 0;
      // the processing time ("受理之日起5个工作日内核定") is the timeLimit answer, not the period asked
      const processing = want === 'period' && (lang === 'en' ? /acceptance|decided|processed/.test(s.text) : /受理|办结|核定|审核|作出|发放/.test(s.text));
      return { ...s, score: common + marked - (processing ? 1 : 0) + (s.field === 'conditions' ? 0.5 : 0) - fieldOrder.indexOf(s.field) * 0.01 };
    })
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  // unsupported by the question's words, a sentence still answers when it is the only one of its field stating such a figure
  if (!best || (best.score < 1 && scored.filter((s) => s.field === best.field).length > 1)) return [];
  return [/[。.;；!！?？]$/.test(best.text) ? best.text : `${best.text}${lang === 'en' ? '.' : '。'}`];
}

/** Someone else applying for the citizen, as a question asks it ("代办呢", "can someone else do it for me"). */
export const PROXY_ASKED = new RegExp([
  '代办|代理|委托|代为|替我|替他|替她|帮我办|(?:找|托|让|请)(?:人|别人|家人|亲戚|朋友)',
  // someone named doing it ("家人能帮我办吗", "别人能替我去吗"), not merely named ("家属要带什么")
  '(?:别人|家人|家属|亲属|亲戚|朋友|子女|孩子)(?:能|可以|可否|能不能|可不可以)?(?:帮|替|代)',
  // who must be there ("可以一个人去吗", "一方不能到场")
  '一个人(?:去|办|来)|单独(?:去|办|来)|一方(?:去|办|来|不能|没法)|本人不(?:能|用)(?:去|来|到场)',
  "\\bproxy\\b|on (?:my|his|her|their) behalf|(?:someone|somebody|anyone|anybody) else|another person",
  '(?:family member|relative|friend|spouse|wife|husband) (?:do|go|apply|submit|collect)|(?:do|go|apply) (?:it )?for (?:me|him|her|them)',
].join('|'));

/** What a guide says of it: who may apply, in person or through an agent. */
const PROXY_STATED = /代办|委托|代理人|本人(?:到场|办理|申请|前往|提交)|亲自|共同到场|双方.{0,4}到场|in person|on (?:your|their|his|her) behalf|\bproxy\b|\bagent\b|authori[sz]ed/i;

/** The item's sentences on applying through someone else or in person (at most two, conditions and FAQs first). */
export function proxySentences(item: ServiceItem, lang: 'zh' | 'en' = 'zh'): string[] {
  const order = ['conditions', 'faq', 'online', 'summary', 'materials', 'timeLimit', 'fees'];
  const found = itemSentences(item, lang).filter((s) => PROXY_STATED.test(s.text)).sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
  const texts = [...new Set(found.map((s) => (/[。.;；!！?？]$/.test(s.text) ? s.text : `${s.text}${lang === 'en' ? '.' : '。'}`)))];
  return texts.slice(0, 2);
}

export interface ItemAnswer {
  composed: Composed;
  /** What the answer was taken from: the grounding check and the LLM composer see exactly these. */
  sources: Array<ServiceItem | Faq | Policy>;
  intent: string;
}

/** The question's answer from within one item: FAQ, stated fact, aspect or overview (see the module comment). */
/**
 * `covers`, when given, tells whether an FAQ question (with its services) speaks of every content word of the
 * message: an FAQ that does not ("被吊销了" against "丢了怎么办") never answers, however many words it shares.
 */
export function composeItemAnswer(
  ctx: ComposeContext, item: ServiceItem, message: string, aspect: Aspect | undefined, covers?: (faqQuestion: string, faqAnswer: string, faqItems: readonly ServiceItem[]) => boolean,
): ItemAnswer {
  const { kb, lang } = ctx;
  const policies = (c: Composed) => c.citations.filter((x) => x.kind === 'policy').map((x) => kb.policiesById.get(x.id)).filter((p): p is Policy => !!p);
  const plain = (): ItemAnswer => {
    const composed = aspect ? composeAspect(ctx, item, aspect) : composeOverview(ctx, item);
    return { composed, sources: [item, ...policies(composed)], intent: aspect ? `aspect:${aspect}` : 'overview' };
  };
  if (!message.trim()) return plain();
  const shape = askShape(message);
  const names = itemIndex(kb).names.get(item.id) ?? [];
  // what the question says beyond the service's name and the aspect words; nothing left: the aspect answers
  const extra = focus(subjectOf(message), names).replace(EXTRA_FILLERS, '').replace(/\s+/g, '');
  // the words left are the service's own name in other order or form ("补领居住证", "签注"): nothing added
  const nameChars = new Set(Array.from(names.join('')));
  const chars = Array.from(extra);
  const nameOnly = chars.length < 2 || chars.filter((c) => nameChars.has(c)).length >= 0.8 * chars.length;
  const plainAspectQuestion = !!aspect && nameOnly && !shape.deadline && !shape.benefit;
  // a materials question keeps its list (and the checklist), unless it is a yes/no about one thing to bring
  const materialsList = aspect === 'materials' && !shape.yesNo;

  // a plain aspect question ("领结婚证要花钱吗") is the aspect's, a question that only names the service
  // ("个体户怎么注销") gets its overview; a FAQ answers what the question adds
  const nameOnlyQuestion = !aspect && nameOnly && !shape.deadline && !shape.benefit;
  if (!materialsList && !plainAspectQuestion && !nameOnlyQuestion) {
    const faqItems = (c: FaqCandidate) => (c.faq ? c.faq.items.map((id) => kb.itemsById.get(id)).filter((x): x is ServiceItem => !!x) : [item]);
    const best = rankFaqs(kb, item, message, lang, aspect).find((m) => !covers || covers(m.candidate.question, m.candidate.answer, faqItems(m.candidate)));
    if (best && best.score >= FAQ_ANSWERS) {
      const c = best.candidate;
      if (c.kind === 'item-faq' && c.itemFaq) return { composed: composeItemFaq(ctx, item, c.itemFaq), sources: [item], intent: 'item-faq' };
      if (c.faq) {
        const composed = composeFaq(ctx, c.faq, faqCitation(c.faq, kb, lang));
        composed.citations.push(itemCitation(item, lang));
        return { composed, sources: [c.faq, item], intent: 'faq' };
      }
    }
  }

  // someone else applying for the citizen: what the guide says of it, and the materials (a proxy's among them)
  if (PROXY_ASKED.test(normalize(message)) && (!aspect || aspect === 'materials')) {
    const facts = proxySentences(item, lang);
    if (facts.length) {
      const lead = ctx.t.text('fact_lead', { title: itemTitle(item, lang), facts: facts.join(lang === 'en' ? ' ' : '') });
      const rest = composeAspect(ctx, item, 'materials');
      return { composed: { answer: `${lead}\n\n${ctx.t.text('fact_also')}${rest.answer}`, citations: [itemCitation(item, lang), ...rest.citations] }, sources: [item, ...policies(rest)], intent: 'fact:proxy' };
    }
  }

  // a deadline or period asked with "how long" words, or a benefit amount asked with "how much" words
  const want = shape.deadline ? 'period' : shape.benefit ? 'amount' : undefined;
  if (want && aspect !== 'materials') {
    const facts = factSentences(kb, item, message, want, lang);
    if (facts.length) {
      const lead = ctx.t.text('fact_lead', { title: itemTitle(item, lang), facts: facts.join(lang === 'en' ? ' ' : '') });
      // the processing time or fee still follows when that aspect was asked, so nothing asked is lost
      const rest = aspect && aspect !== 'fee' ? composeAspect(ctx, item, aspect) : undefined;
      const answer = rest ? `${lead}\n\n${ctx.t.text('fact_also')}${rest.answer}` : lead;
      return { composed: { answer, citations: [itemCitation(item, lang)] }, sources: [item], intent: `fact:${want}` };
    }
    // a subsidy asked with money words is not a fee question: the overview states what the item grants
    if (want === 'amount' && aspect === 'fee') {
      const composed = composeOverview(ctx, item);
      return { composed, sources: [item], intent: 'overview' };
    }
  }
  return plain();
}
