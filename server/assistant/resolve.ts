/**
 * Which service item (or FAQ) a question is about. Retrieval proposes candidates; the decision uses what the
 * question names: an item's title or alias written in the question is strong evidence, a name shared by a whole
 * family of items (居住证 → 首次申领 / 签注 / 换领 / 补领) is not, and then the assistant asks instead of guessing.
 */
import type { Faq, ItemFaq, ServiceItem } from '../kb/schema.ts';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type { DetailedRetriever, QueryNoun, Retriever, SearchConfidence, SearchHit, SearchResult } from '../retrieval/types.ts';
import { normalizeText } from '../retrieval/index.ts';
import { sourceText } from './citations.ts';
import { CONTENT_WORD, contentWords, speaksOfWord, topicNoun, uncoveredByFaq } from './coverage.ts';
import { actionsIn, discriminate, itemActions, namesHold, questionTerms } from './discriminate.ts';
import { similarityTo } from './dice.ts';
import { writtenIn } from './written-in.ts';
import { boundedMemo } from './memo.ts';
import { normalize } from './language.ts';
import { detectAspect } from './aspects.ts';

export interface ItemCandidate {
  item: ServiceItem;
  /** 0..1: how well the question names this item. */
  affinity: number;
  /** Length of the item's longest name written in the question. */
  specific: number;
  /** Length of the item's longest keyword written in the question: on equal affinity, the longer tells more. */
  keyword: number;
  /** The affinity is only a likeness to one of its names: none of its names or keywords is written in the question, nor is the question's subject part of one. */
  alike: boolean;
}

export type Resolution =
  | { kind: 'item'; item: ServiceItem; confidence: number; hits: SearchHit[] }
  /** `item`: the one service of the FAQ the question is about (a general FAQ may span several). */
  | { kind: 'faq'; faq: Faq; item?: ServiceItem; confidence: number; hits: SearchHit[] }
  | { kind: 'item-faq'; item: ServiceItem; faq: ItemFaq; confidence: number; hits: SearchHit[] }
  /** `offTopic`: none of the choices speaks of a thing the question names; it is a question no guide has. */
  | { kind: 'clarify'; choices: ServiceItem[]; family?: string; confidence: number; hits: SearchHit[]; offTopic?: boolean }
  | { kind: 'none'; confidence: number; hits: SearchHit[] };

/** Per knowledge base: item names and families, computed once. */
interface NameIndex {
  names: Map<string, string[]>;
  /** An item's names in one text, each followed by NAME_END: whether any of them contains a text is one search. */
  joinedNames: Map<string, string>;
  keywords: Map<string, string[]>;
  families: Map<string, ServiceItem[]>;
}
const indexes = new WeakMap<KnowledgeBase, NameIndex>();
/** A character normalised names never contain (normalisation drops control characters). */
const NAME_END = '\u0000';

export function nameIndex(kb: KnowledgeBase): NameIndex {
  let idx = indexes.get(kb);
  if (idx) return idx;
  idx = { names: new Map(), joinedNames: new Map(), keywords: new Map(), families: new Map() };
  for (const item of kb.items) {
    const norm = (n: string) => normalize(normalizeText(n, { traditional: false }));
    const names = [item.title, item.titleEn, ...item.aliases, ...item.aliasesEn].filter((n): n is string => !!n).map(norm).filter((n) => n.length >= 2);
    idx.names.set(item.id, [...new Set(names)]);
    idx.joinedNames.set(item.id, idx.names.get(item.id)!.map((n) => n + NAME_END).join(''));
    idx.keywords.set(item.id, item.keywords.map(norm).filter((k) => k.length >= 2));
    if (item.family) {
      const list = idx.families.get(item.family) ?? [];
      list.push(item);
      idx.families.set(item.family, list);
    }
  }
  indexes.set(kb, idx);
  return idx;
}

export function familyOf(kb: KnowledgeBase, item: ServiceItem): ServiceItem[] {
  return item.family ? (nameIndex(kb).families.get(item.family) ?? [item]) : [item];
}

/** An FAQ question as queries are compared with it: normalised like them, punctuation gone (memoised). */
const faqTexts = new Map<string, string>();
function faqText(q: string): string {
  let t = faqTexts.get(q);
  if (t === undefined) {
    t = normalize(normalizeText(q, { traditional: false }));
    if (faqTexts.size >= 20000) faqTexts.clear();
    faqTexts.set(q, t);
  }
  return t;
}

/** Length of the item's longest name written in the question (0: none); `inQuery` is writtenIn(question). */
function longestNameIn(kb: KnowledgeBase, item: ServiceItem, inQuery: (word: string) => boolean): number {
  let longest = 0;
  for (const n of nameIndex(kb).names.get(item.id) ?? []) if (n.length > longest && inQuery(n)) longest = n.length;
  return longest;
}

/** Whether the item does any of the actions (by its names and keywords, or anywhere in its text). */
function doesAnyOf(retriever: Retriever, item: ServiceItem, actions: readonly string[]): boolean {
  return actions.some((a) => itemActions(retriever, item).includes(a) || actionsInText(item).includes(a));
}

/** Actions that undo or reverse each other: an item doing one does not answer a question asking the other. */
const OPPOSITE: Readonly<Record<string, string>> = {
  'act:transfer-in': 'act:transfer-out', 'act:transfer-out': 'act:transfer-in', 'act:setup': 'act:deregister', 'act:deregister': 'act:setup',
};

/** Whether the item does the opposite of an action the question asks for, and not that action itself. */
function doesTheOpposite(itemActs: readonly string[], wanted: readonly string[]): boolean {
  return wanted.some((a) => OPPOSITE[a] !== undefined && itemActs.includes(OPPOSITE[a]!) && !itemActs.includes(a));
}

/** The service an FAQ resolution is about (a general FAQ's only service, if it has one) and the FAQ's question. */
export function faqOf(kb: KnowledgeBase, res: Resolution): { item?: ServiceItem; question: string } | undefined {
  if (res.kind === 'item-faq') return { item: res.item, question: res.faq.q };
  if (res.kind !== 'faq') return undefined;
  const item = res.item ?? (res.faq.items.length === 1 ? kb.itemsById.get(res.faq.items[0]!) : undefined);
  return { ...(item ? { item } : {}), question: res.faq.question };
}

/**
 * Whether an FAQ's question names its service (a name or keyword of it) while the question asked names none of
 * them: "身份证做好了能寄到家吗" is about ID cards, "能寄到家吗" about whatever the conversation is about.
 */
export function faqNamesItsService(kb: KnowledgeBase, item: ServiceItem, faqQuestion: string, query: string): boolean {
  const idx = nameIndex(kb);
  const words = [...(idx.names.get(item.id) ?? []), ...(idx.keywords.get(item.id) ?? [])];
  const faq = faqText(faqQuestion);
  return words.some((w) => faq.includes(w)) && !words.some((w) => query.includes(w));
}

/** The question as every candidate service is compared with it (made once per question). */
interface AskedText {
  /** Whether a word is written in the (normalised) question. */
  inQuery: (word: string) => boolean;
  subject: string;
  /** The subject's length without spaces (at least 1). */
  subjectLength: number;
  /** Compares the subject with a name. */
  toSubject: ((name: string) => number) | undefined;
}

function askedText(query: string, subject: string): AskedText {
  return {
    inQuery: writtenIn(query), subject, subjectLength: Math.max(subject.replace(/\s+/g, '').length, 1),
    toSubject: subject ? similarityTo(subject) : undefined,
  };
}

/** How well the question names the item. */
function affinity(kb: KnowledgeBase, item: ServiceItem, { inQuery, subject, subjectLength, toSubject }: AskedText): ItemCandidate {
  const idx = nameIndex(kb);
  // the longest of its names written in the question: compared across a family, a strictly longest one decides
  const contained = longestNameIn(kb, item, inQuery);
  const covers = subject.length >= 2 && !subject.includes(NAME_END) && (idx.joinedNames.get(item.id) ?? '').includes(subject);
  let closest = 0;
  if (toSubject) for (const n of idx.names.get(item.id) ?? []) closest = Math.max(closest, toSubject(n));
  let keyword = 0;
  for (const k of idx.keywords.get(item.id) ?? []) if (k.length > keyword && inQuery(k)) keyword = k.length;
  const score = Math.max(
    contained ? Math.min(1, 0.6 + (0.4 * contained) / Math.max(subjectLength, contained)) : 0,
    covers ? 0.6 : 0,
    keyword ? 0.45 : 0,
    closest,
  );
  return { item, affinity: score, specific: contained, keyword, alike: !contained && !covers && !keyword };
}

const FAQ_DIRECT = 0.62;
/** An item resolution at least this sure rests on a name written in the question (the retriever's lead gives less). */
const NAMED = 0.75;
const CONFIDENT = 0.5;
const RELATED = 0.25;
/** Affinities this close are a tie. */
const TIE = 0.02;
/** Search ranks: a service among the first LED_RANK hits leads; one beyond NEAR_RANK is not near the question. */
const LED_RANK = 3;
const NEAR_RANK = 8;
/** What discriminate must find for the answer to move from one service to another (a lone character is less). */
const SWITCH_EVIDENCE = 1.5;
/** Below this, what discriminate found (a lone weak term) does not outweigh a member's own longer name in the question. */
const WEAK_EVIDENCE = 0.6;

export interface ResolveInput {
  message: string;
  subject: string;
  kb: KnowledgeBase;
  retriever: Retriever;
  /** Whether the message asks a specific aspect (then an FAQ must match closely to win). */
  hasAspect: boolean;
  /** The aspect asked, when known: a fact question (fee, time, where...) matched to one member's FAQ is that FAQ's. */
  aspect?: string;
}

export async function resolve({ message, subject, kb, retriever, hasAspect, aspect }: ResolveInput): Promise<Resolution> {
  // the retriever's normalisation (typos, traditional characters, punctuation) before matching names
  const query = normalize(normalizeText(message));
  const detailed = 'searchDetailed' in retriever ? await (retriever as DetailedRetriever).searchDetailed(message, { k: 12 }) : undefined;
  const hits = detailed ? detailed.hits : await retriever.search(message, { k: 12 });
  // the retriever is sure of its first hit: a clear best (calibrated score) well ahead of anything else
  const sure = !!detailed && detailed.confidence.top >= 0.7 && detailed.confidence.margin >= 0.15;
  const toQuery = similarityTo(query);
  // the retriever's sureness speaks for its first FAQ unless the question and the FAQ (its main question) ask
  // different aspects ("孩子打疫苗在哪" is not answered by "孩子的疫苗本丢了怎么办？")
  // (an FAQ's questions: its main one first; its aspect is read once)
  const faqScore = (questions: readonly string[], i: number) => {
    const faqAspect = i === 0 && sure ? detectAspect(questions[0]!) : undefined;
    const boost = i === 0 && sure && (!faqAspect || !aspect || faqAspect === aspect) ? 0.75 : 0;
    return Math.max(boost, ...questions.filter(Boolean).map((q) => toQuery(faqText(q))));
  };

  // FAQ fast path: a question asked almost word for word, wanting nothing done the FAQ does not speak of
  // ("外地户口能补办身份证吗" is not "外地户口能办临时身份证吗")
  const wanted = actionsIn(query);
  const speaksOf = (texts: readonly string[], items: readonly (ServiceItem | undefined)[]) => {
    if (!wanted.length) return true;
    const acts = new Set(texts.flatMap(actionsIn));
    for (const item of items) if (item) for (const a of itemActions(retriever, item)) acts.add(a);
    return wanted.every((a) => acts.has(a));
  };
  // a word an FAQ leaves out that another candidate service names: the FAQ answers another question
  const elsewhere = (words: readonly string[], own: readonly string[]) => words.length > 0 && hits.slice(0, 8).some((h) => {
    const other = h.itemId && !own.includes(h.itemId) ? kb.itemsById.get(h.itemId) : undefined;
    return !!other && words.some((w) => namesHold(retriever, other, w) || speaksOfWord(retriever, w, namedText(other)));
  });
  // an FAQ not speaking of what the question is about answers another thing ("律师证丢了" is not "出生证丢了"), as
  // does one leaving out a word another candidate names
  // (read only when needed: finding the nouns tags the question's words, a second pass of the segmenter)
  let topicNounRead: QueryNoun | undefined | null = null; // null: not read yet
  const topic = () => (topicNounRead === null ? (topicNounRead = detailed ? topicNoun(subject, detailed.nouns) : undefined) : topicNounRead);
  const missesTopic = (words: readonly string[]) => words.some((w) => {
    const noun = topic();
    return !!noun && (noun.text.includes(w) || w.includes(noun.text));
  });
  let bestFaq: { score: number; res: Resolution } | undefined;
  // the best FAQ speaking of every word of a question asking something done, and asking nothing done beyond it
  let coveringFaq: { score: number; res: Resolution } | undefined;
  const consider = (score: number, res: Resolution, uncovered: readonly string[], question: string) => {
    if (!bestFaq || score > bestFaq.score) bestFaq = { score, res };
    if (!wanted.length || uncovered.length || (coveringFaq && score <= coveringFaq.score)) return;
    if (actionsIn(faqText(question)).every((a) => wanted.includes(a))) coveringFaq = { score, res };
  };
  for (const [i, hit] of hits.slice(0, 6).entries()) {
    if (hit.kind === 'faq') {
      const faq = kb.faqsById.get(hit.refId);
      if (!faq || !speaksOf([faq.question, faq.questionEn ?? '', ...faq.alternates], faq.items.map((id) => kb.itemsById.get(id)))) continue;
      // nor one leaving out a word the question turns on ("被吊销了" is not answered by "丢了怎么办")
      const faqItems = faq.items.map((id) => kb.itemsById.get(id)).filter((x): x is ServiceItem => !!x);
      const uncovered = uncoveredByFaq(retriever, message, [faq.question, faq.questionEn ?? '', ...faq.alternates, faq.answer], faqItems);
      if (missesTopic(uncovered) || elsewhere(uncovered, faq.items)) continue;
      const score = faqScore([faq.question, faq.questionEn ?? '', ...faq.alternates], i);
      consider(score, { kind: 'faq', faq, confidence: Math.min(0.95, score), hits }, uncovered, faq.question);
    } else if (hit.kind === 'item-faq' && hit.itemId) {
      const item = kb.itemsById.get(hit.itemId);
      // document ids number an item's FAQs from 1 ("item-faq:x#1" is faqs[0]); the title decides when it matches
      const n = Number(hit.docId.split('#')[1]);
      const faq = item?.faqs.find((f) => f.q === hit.title || f.qEn === hit.title) ?? item?.faqs[Number.isInteger(n) ? n - 1 : -1];
      if (!item || !faq || !speaksOf([faq.q, faq.qEn ?? ''], [item])) continue;
      const uncovered = uncoveredByFaq(retriever, message, [faq.q, faq.qEn ?? '', faq.a], [item]);
      if (missesTopic(uncovered) || elsewhere(uncovered, [item.id])) continue;
      const score = faqScore([faq.q, faq.qEn ?? ''], i);
      consider(score, { kind: 'item-faq', item, faq, confidence: Math.min(0.95, score), hits }, uncovered, faq.q);
    }
  }

  const seen = new Set<string>();
  const candidates: ItemCandidate[] = [];
  const asked = askedText(query, subject);
  for (const hit of hits) {
    const id = hit.itemId ?? (hit.kind === 'item' ? hit.refId : undefined);
    if (!id || seen.has(id)) continue;
    seen.add(id);
    const item = kb.itemsById.get(id);
    if (item) candidates.push(affinity(kb, item, asked));
  }
  candidates.sort((a, b) => b.affinity - a.affinity || b.specific - a.specific || b.keyword - a.keyword);
  const resolved = resolveItem(kb, retriever, candidates, { message, query, inQuery: asked.inQuery, subject, wanted }, hits, detailed?.confidence);
  // a question about a thing no document has ("护士执业证书怎么注册": 护士) is one the knowledge base has no guide for:
  // a service matched by the rest of it (执业证书, 注册) answers something else, unless its name is written in it (an
  // unknown noun further on, "…需要多大岁数", is only a detail)
  const unknownTopic = !!detailed && detailed.unknownTerms.length > 0 && topic()?.known === false;
  const offSubject = (item: ServiceItem) => unknownTopic && longestNameIn(kb, item, asked.inQuery) < 3;
  // an item doing the opposite of what is asked ("公积金怎么转到外地" is not 转入本市) does not answer it either
  // (and services none of which speaks of a thing the question names are no choice to offer for it)
  const byItem: Resolution = resolved.kind === 'item' && (doesTheOpposite(itemActions(retriever, resolved.item), wanted) || offSubject(resolved.item))
    ? { kind: 'none', confidence: 0.1, hits }
    : resolved.kind === 'clarify' && !resolved.family && thingsUnspoken(retriever, resolved.choices, message, detailed).length
      ? { ...resolved, offTopic: true }
      : resolved;
  // nor does an FAQ, which cannot speak of that noun either, unless asked word for word
  if (bestFaq && unknownTopic && bestFaq.score < 0.85) bestFaq = undefined;
  // the services found doing none of what the question asks done ("营业执照丢了咋整": a reissue; 设立登记 sets up)
  // do not answer it, when an FAQ among the first hits speaks of that and of everything else the question says
  const found = byItem.kind === 'item' ? familyOf(kb, byItem.item) : byItem.kind === 'clarify' ? byItem.choices : [];
  if (coveringFaq && found.length && !found.some((m) => doesAnyOf(retriever, m, wanted))) return coveringFaq.res;
  if (bestFaq && bestFaq.score >= FAQ_DIRECT) {
    const top = candidates[0];
    const faqItems = bestFaq.res.kind === 'faq' ? bestFaq.res.faq.items : bestFaq.res.kind === 'item-faq' ? [bestFaq.res.item.id] : [];
    // a general FAQ spanning several services gives way to the one service the question clearly names: one of
    // its names written in it, not one merely like it ("外地的驾照能在北京换吗" is not 外地人在北京换身份证)
    const itemNamed = byItem.kind === 'item' && byItem.confidence >= NAMED && bestFaq.score < 0.85 && !(faqItems.length === 1 && faqItems[0] === byItem.item.id)
      && candidates.some((c) => c.item === byItem.item && !c.alike);
    // (an FAQ asked nearly word for word but of another aspect, "生育津贴怎么算" for "怎么领", answers less closely)
    const faqQuestion = faqOf(kb, bestFaq.res)?.question ?? '';
    const otherAspect = !!aspect && detectAspect(faqQuestion) !== aspect;
    const aspectOfItem = hasAspect && (bestFaq.score < 0.75 || (otherAspect && bestFaq.score < 0.9)) && !!top && top.affinity >= CONFIDENT;
    if (!itemNamed && !aspectOfItem) {
      const res = bestFaq.res;
      // a how-to question ("护照怎么办", "要什么材料") that does not tell a family's members apart is not settled by
      // an FAQ of one of them, unless it shares with it words the family's names do not have ("旧护照里的美签")
      const faqItem = res.kind === 'item-faq' ? res.item : res.kind === 'faq' && faqItems.length === 1 ? kb.itemsById.get(faqItems[0]!) : undefined;
      const howTo = !aspect || aspect === 'process' || aspect === 'materials';
      if (howTo && faqItem && !(byItem.kind === 'item' && byItem.item === faqItem && byItem.confidence >= 0.85)) {
        const faqQs = res.kind === 'item-faq' ? [res.faq.q, res.faq.qEn ?? ''] : res.kind === 'faq' ? [res.faq.question, res.faq.questionEn ?? '', ...res.faq.alternates] : [];
        const tie = speaksBeyondFamily(kb, retriever, faqItem, message, faqQs) ? undefined : familyTie(kb, retriever, faqItem, message, hits);
        if (tie) return tie;
      }
      if (res.kind === 'faq' && byItem.kind === 'item' && res.faq.items.includes(byItem.item.id)) return { ...res, item: byItem.item };
      return res;
    }
  }
  return byItem;
}

/**
 * The question as resolve() has read it: as asked, normalised as names are matched (and whether a word is written
 * in that), its subject, the actions it asks for.
 */
interface Asked {
  message: string;
  query: string;
  inQuery: (word: string) => boolean;
  subject: string;
  wanted: readonly string[];
}

function resolveItem(
  kb: KnowledgeBase, retriever: Retriever, candidates: readonly ItemCandidate[], { message, query, inQuery, subject, wanted }: Asked, hits: SearchHit[],
  confidence?: SearchConfidence,
): Resolution {
  let top = candidates[0];
  let switched = false;
  // a long situational question rarely writes a service's name: then the retriever's lead decides, when it is clear
  if ((!top || top.affinity < CONFIDENT) && subject.replace(/\s+/g, '').length >= LEAD_SUBJECT) {
    const led = retrieverLead(kb, retriever, candidates, message, wanted, hits, confidence);
    if (led) return led;
  }
  if (!top || top.affinity < RELATED) return { kind: 'none', confidence: 0.1, hits };
  // a service only worded like the question is not taken, nor its family asked about, when the question says what
  // none of its family speaks of and another candidate does (unless the retriever is well ahead: coverageClash)
  if (top.alike) {
    const clash = coverageClash(kb, retriever, top.item, message, hits, confidence, true);
    if (clash) return clash;
  }

  // a name written in the question is strong evidence, but not against the terms only another close candidate
  // carries ("失业金期间去世…丧葬费" is not 失业保险金申领 although it says 领失业金)
  // (the top's family mates take part, so a member's word is not mistaken for another service's)
  // (a rival only worded like the question, by no name of its own, does not: "外地人在北京失业了能领失业金吗" is not
  // 外地人在北京换身份证 for saying 外地人在北京)
  const rivals = candidates.filter((c) => c !== top && !c.alike && c.affinity >= Math.max(RELATED, top!.affinity - 0.35) && !(c.item.family && c.item.family === top!.item.family)).slice(0, 3);
  if (rivals.length && top.affinity >= CONFIDENT) {
    const told = discriminate(kb, retriever, [...familyOf(kb, top.item), ...rivals.map((c) => c.item)], withoutMaterials(message));
    const winner = told.item && rivals.find((c) => c.item === told.item);
    if (winner && winner !== top && told.scores[0]!.score >= SWITCH_EVIDENCE) {
      top = winner;
      switched = true;
    }
  }

  if (top.affinity < CONFIDENT) {
    // the services doing what the question asks come first ("公积金一个月能提多少钱": the withdrawals)
    // (a service only worded like the question that the search ranks nowhere near the top is no choice beside one
    // it ranks first: "退伍好多年了还要做信息采集吗" is not about 小学入学 for its alias 入学信息采集)
    const rank = (i: ServiceItem) => { const at = hits.findIndex((h) => h.itemId === i.id); return at < 0 ? hits.length : at; };
    const liked = candidates.filter((c) => c.affinity >= RELATED).map((c) => c.item);
    const led = liked.some((i) => rank(i) < LED_RANK);
    const related = led ? liked.filter((i) => rank(i) < NEAR_RANK) : liked;
    const does = (i: ServiceItem) => itemActions(retriever, i).some((a) => wanted.includes(a));
    // with their family mates doing it too: which of a family's members the retriever's near-ties put first should
    // not decide which the citizen is offered ("一个月能提多少钱": 租房提取 beside 购房 and 还贷提取)
    const doing = wanted.length ? [...new Set(related.filter(does).flatMap((i) => [i, ...familyOf(kb, i).filter(does)]))] : [];
    return { kind: 'clarify', choices: (doing.length ? doing : related).slice(0, 4), confidence: 0.3, hits };
  }

  // a family: decided by what sets one member apart (an action word, a situation, a name only it has)
  const family = familyOf(kb, top.item);
  if (family.length > 1) {
    const told = discriminate(kb, retriever, family, message);
    if (told.item) return { kind: 'item', item: told.item, confidence: 0.85, hits };
    // a question in the family's own words only ("护照怎么办", "社保卡怎么办") is not settled by a member's name that
    // is the family's word plus a verb; one that says more ("备案后想换城市", "有啥用") keeps every name as evidence
    const bare = !beyondFamily(retriever, family, message);
    const specific = family
      .map((m) => ({ item: m, specific: bare ? distinctiveNameIn(kb, retriever, family, m, query) : longestNameIn(kb, m, inQuery) }))
      .filter((c) => c.specific > 0).sort((a, b) => b.specific - a.specific);
    // the members the question still fits (all of them when nothing told them apart)
    const best = told.scores[0]!.score;
    const fitting = best > 0 ? told.scores.filter((s) => s.score >= best - 0.6).map((s) => s.item) : family;
    // a member's own name written in the question, longer than any mate's, settles it among the members it still fits
    const named = specific[0] && (specific.length === 1 || specific[0].specific > specific[1]!.specific) && specific[0].specific >= 3 ? specific[0].item : undefined;
    if (named && (best < WEAK_EVIDENCE || fitting.includes(named))) {
      return namedClash(kb, retriever, named, query, message, hits) ?? { kind: 'item', item: named, confidence: 0.9, hits };
    }
    const choices = fitting.length >= 2 ? fitting : family;
    // other families the question, naming none of them, fits just as well ("公积金怎么提取": 购房, 租房 and 还贷提取
    // beside 离职 and 退休提取) are offered too, and the choice is then no longer one family's
    const tied = best === 0 && top.specific === 0
      ? [...new Set(candidates.filter((c) => c.affinity >= top!.affinity - TIE && !family.includes(c.item)).flatMap((c) => familyOf(kb, c.item)))]
      : [];
    if (tied.length) return { kind: 'clarify', choices: [...choices, ...tied].slice(0, 6), confidence: 0.5, hits };
    return { kind: 'clarify', choices: choices.slice(0, 6), family: top.item.family, confidence: 0.5, hits };
  }

  if (switched) return { kind: 'item', item: top.item, confidence: 0.75, hits };
  const second = candidates.find((c) => c.item.id !== top.item.id && !(c.item.family && c.item.family === top.item.family));
  // (however well the words fit, a retriever with no margin between them has not told them apart either)
  const undecided = top.affinity < 0.8 || (!!confidence && confidence.margin < NO_MARGIN);
  if (second && undecided && top.specific === 0 && second.affinity >= top.affinity - 0.05) {
    const close = candidates.filter((c) => c.affinity >= top.affinity - 0.05).slice(0, 4).map((c) => c.item);
    const told = discriminate(kb, retriever, close, message);
    // the one told apart may be one of a family the question does not tell apart ("户口迁到北京": which 投靠?)
    if (told.item) return familyTie(kb, retriever, told.item, message, hits) ?? { kind: 'item', item: told.item, confidence: 0.75, hits };
    return { kind: 'clarify', choices: close, confidence: 0.4, hits };
  }
  if (top.specific === 0) {
    const clash = coverageClash(kb, retriever, top.item, message, hits, confidence, top.alike);
    if (clash) return clash;
  } else {
    const clash = namedClash(kb, retriever, top.item, query, message, hits);
    if (clash) return clash;
  }
  return { kind: 'item', item: top.item, confidence: Math.min(0.95, 0.5 + top.affinity / 2), hits };
}

/**
 * How long the longest name of `member` written in the question is, counting only names that say more than the
 * family shares: "护照丢了" does, "办护照" or "护照怎么办" (the family's word and a verb) does not.
 */
function distinctiveNameIn(kb: KnowledgeBase, retriever: Retriever, family: readonly ServiceItem[], member: ServiceItem, query: string): number {
  let best = 0;
  for (const n of nameIndex(kb).names.get(member.id) ?? []) {
    if (n.length > best && query.includes(n) && tellsApart(kb, retriever, family, member, n)) best = n.length;
  }
  return best;
}

const apartCache = new WeakMap<object, Map<string, boolean>>();
/** Whether a name of `member` says more than what the whole family shares (its family's word and a verb). */
function tellsApart(kb: KnowledgeBase, retriever: Retriever, family: readonly ServiceItem[], member: ServiceItem, name: string): boolean {
  let cache = apartCache.get(retriever);
  if (!cache) apartCache.set(retriever, (cache = new Map()));
  const key = `${member.id}\u0000${name}`;
  let told = cache.get(key);
  if (told === undefined) {
    // a name is the family's own when every term in it is one all the members' names carry
    told = discriminate(kb, retriever, family, name).item === member
      || questionTerms(retriever, name).some((w) => !family.every((m) => namesHold(retriever, m, w)));
    if (cache.size >= 20_000) cache.clear(); // bounded: the key space is every name in the knowledge base
    cache.set(key, told);
  }
  return told;
}

/**
 * A family member chosen by other evidence than the question's own terms (an FAQ of it matched, the retriever's
 * lead): when nothing in the question tells the members apart, the family is offered instead (the members the
 * question still fits). Undefined when the question settles it, or when it is not a family.
 */
export function familyTie(kb: KnowledgeBase, retriever: Retriever, item: ServiceItem, message: string, hits: SearchHit[]): Resolution | undefined {
  const family = familyOf(kb, item);
  if (family.length < 2) return undefined;
  if (beyondFamily(retriever, family, message)) return undefined;
  const told = discriminate(kb, retriever, family, message);
  if (told.item) return undefined;
  const best = told.scores[0]!.score;
  const fitting = best > 0 ? told.scores.filter((s) => s.score >= best - 0.6).map((s) => s.item) : family;
  if (!fitting.includes(item)) return undefined;
  const choices = fitting.length >= 2 ? fitting : family;
  return { kind: 'clarify', choices: choices.slice(0, 6), family: item.family, confidence: 0.5, hits };
}

/** Whether the question shares with an FAQ a content word that none of the FAQ item's family names carries. */
function speaksBeyondFamily(kb: KnowledgeBase, retriever: Retriever, item: ServiceItem, message: string, faqQuestions: readonly string[]): boolean {
  const family = familyOf(kb, item);
  const faqText = faqQuestions.join('\n').toLowerCase();
  // a lone character counts here when the FAQ asks it too ("有啥用" / "有什么用")
  return questionTerms(retriever, message)
    .filter((w) => (CONTENT_WORD.test(w) || /^[\u3400-\u9fff]$/.test(w)) && !FILLER_CHAR.test(w) && !actionsIn(w).length)
    .some((w) => faqText.includes(w) && !family.some((m) => namesHold(retriever, m, w)));
}

/** Lone characters that say nothing of the service ("居住证的事咋整"). */
const FILLER_CHAR = /^[事的了个弄整咋么呀吧啥下在和与或及]$/;

/**
 * Whether the question says something none of the family's names carry (a situation of its own, "备案后想换城市",
 * "有啥用"): then it is not a family-level question, whatever it leaves open.
 */
function beyondFamily(retriever: Retriever, family: readonly ServiceItem[], message: string): boolean {
  // Chinese words only: an English question's wording ("deal with", "need for") is mostly fillers
  return questionTerms(retriever, message)
    .filter((w) => /^[\u3400-\u9fff]+$/.test(w) && !FILLER_CHAR.test(w) && !actionsIn(w).length)
    .some((w) => !family.some((m) => namesHold(retriever, m, w)));
}

/** Names, keywords and FAQ questions of an item, lower case: where a service says what it is about. */
const namedText = boundedMemo(2000, (item: ServiceItem) =>
  [item.title, item.titleEn ?? '', ...item.aliases, ...item.aliasesEn, ...item.keywords, ...item.faqs.flatMap((f) => [f.q, f.qEn ?? ''])].join('\n').toLowerCase());
const fullText = boundedMemo(500, (item: ServiceItem) => sourceText(item).toLowerCase());
/** The actions an item's whole text speaks of (beside those its names and keywords do: itemActions). */
const actionsInText = boundedMemo(500, (item: ServiceItem) => actionsIn(fullText(item)));

/** The words that none of `items` speaks of (in any field) or names. */
function unspokenBy(retriever: Retriever, items: readonly ServiceItem[], words: readonly string[]): string[] {
  return words.filter((w) => !items.some((m) => speaksOfWord(retriever, w, fullText(m)) || namesHold(retriever, m, w)));
}

/**
 * The things a question names (its nouns of two characters or more, beyond aspect words and fillers) that none of
 * `choices` speaks of: "开烟酒店要办烟草专卖许可证吗" names 酒店, which no service found by 许可证 is about.
 */
function thingsUnspoken(retriever: Retriever, choices: readonly ServiceItem[], message: string, detailed: SearchResult | undefined): string[] {
  if (!detailed || !detailed.nouns.length) return [];
  const content = new Set(contentWords(retriever, message));
  return unspokenBy(retriever, choices, detailed.nouns.map((n) => n.text).filter((w) => w.length >= 2 && content.has(w)));
}

/** Words every service of a Beijing portal shares: they say nothing of which one a question is about. */
const EVERY_SERVICE = new Set(['北京', '北京市', '本市', '在京', '来京']);

/**
 * Whether `items` speak of more than half of what the question says: its content words, each counted once (a word
 * inside a longer one, 户口 in 外地户口, is part of it), the city's name not among them.
 */
function speaksOfMost(retriever: Retriever, items: readonly ServiceItem[], message: string): boolean {
  const all = contentWords(retriever, message).filter((w) => !EVERY_SERVICE.has(w));
  const words = all.filter((w) => !all.some((other) => other !== w && other.includes(w)));
  return unspokenBy(retriever, items, words).length * 2 < words.length;
}

/** A margin over any other service at which the retriever's lead is trusted even with a word the item does not name. */
const CLEAR_MARGIN = 0.2;

/**
 * Precision over recall when the item was not named: a content word of the question that the chosen item never
 * speaks of, but another candidate names (in its title, aliases, keywords or FAQ questions), means the question
 * may be about that other service; then the closest candidates are offered instead of a confident wrong answer.
 */
export function coverageClash(
  kb: KnowledgeBase, retriever: Retriever, chosen: ServiceItem, message: string, hits: SearchHit[], confidence?: SearchConfidence, alike = false,
): Resolution | undefined {
  // a retriever well ahead of any other service is trusted with words the item does not name
  if (confidence && confidence.margin >= CLEAR_MARGIN) return undefined;
  // a service only like the question is judged with its family: a mate may be the one speaking of the words
  const own = alike ? familyOf(kb, chosen) : [chosen];
  const missing = unspokenBy(retriever, own, contentWords(retriever, message));
  if (!missing.length) return undefined;
  const rivals: Array<{ item: ServiceItem; covers: number }> = [];
  const seen = new Set(own.map((m) => m.id));
  for (const h of hits.slice(0, 8)) {
    const item = h.itemId ? kb.itemsById.get(h.itemId) : undefined;
    if (!item || seen.has(item.id)) continue;
    seen.add(item.id);
    const covers = missing.filter((w) => namedText(item).includes(w)).length;
    if (covers) rivals.push({ item, covers });
  }
  if (!rivals.length) return undefined;
  rivals.sort((a, b) => b.covers - a.covers);
  const choices = [chosen, ...rivals.slice(0, 2).map((r) => r.item)];
  const family = chosen.family && choices.every((c) => c.family === chosen.family) ? chosen.family : undefined;
  return { kind: 'clarify', choices, ...(family ? { family } : {}), confidence: 0.4, hits };
}

/**
 * Precision when the item was chosen by a name written in the question: a content word beyond that name which the
 * item never speaks of (in any of its fields), but another of the retriever's candidates names, means the name may
 * only be the generic part ("外国人结婚登记" says 结婚登记). The candidate is taken when it names every such word
 * and still means what the matched name means (a family mate, or a name containing it); otherwise the
 * question is clarified between them. Undefined when the item speaks of all the question says.
 */
export function namedClash(kb: KnowledgeBase, retriever: Retriever, chosen: ServiceItem, query: string, message: string, hits: SearchHit[]): Resolution | undefined {
  const matched = (nameIndex(kb).names.get(chosen.id) ?? []).filter((n) => query.includes(n)).sort((a, b) => b.length - a.length)[0];
  if (!matched) return undefined;
  const missing = contentWords(retriever, message)
    .filter((w) => !matched.includes(w) && !namesHold(retriever, chosen, w) && !speaksOfWord(retriever, w, fullText(chosen)));
  if (!missing.length) return undefined;
  const rivals: Array<{ item: ServiceItem; covers: number; kin: boolean }> = [];
  const seen = new Set([chosen.id]);
  for (const h of hits.slice(0, 8)) {
    const item = h.itemId ? kb.itemsById.get(h.itemId) : undefined;
    if (!item || seen.has(item.id)) continue;
    seen.add(item.id);
    const covers = missing.filter((w) => namesHold(retriever, item, w) || speaksOfWord(retriever, w, namedText(item))).length;
    if (!covers) continue;
    const kin = (!!item.family && item.family === chosen.family)
      || (nameIndex(kb).names.get(item.id) ?? []).some((n) => n.includes(matched));
    rivals.push({ item, covers, kin });
  }
  if (!rivals.length) return undefined;
  rivals.sort((a, b) => b.covers - a.covers || Number(b.kin) - Number(a.kin));
  const [best, next] = rivals;
  if (best!.kin && best!.covers === missing.length && !(next && next.covers === best!.covers && next.kin)) {
    return { kind: 'item', item: best!.item, confidence: 0.75, hits };
  }
  const choices = [chosen, ...rivals.slice(0, 2).map((r) => r.item)];
  const family = chosen.family && choices.every((c) => c.family === chosen.family) ? chosen.family : undefined;
  return { kind: 'clarify', choices, ...(family ? { family } : {}), confidence: 0.4, hits };
}

/** What the citizen brings is a material, not the service asked about ("扯证还要带户口本吗" is not 户口本补领). */
function withoutMaterials(message: string): string {
  return message.replace(/(带|携带|提供|出示|提交|复印)(上|着|好)?[\u3400-\u9fff]{1,6}?(?=吗|么|嘛|不|没|呢|[?？!！,，。\s]|$)/g, ' ');
}

/** A calibrated margin this small between the first two services is no preference at all. */
const NO_MARGIN = 0.05;
const LEAD_TOP = 0.5;
/** A question of a few characters beyond its aspect words ("补办要多久") says too little to follow the retriever. */
const LEAD_SUBJECT = 4;
const LEAD_MARGIN = 0.1;
/** Below this the retriever's first hit is too weak a guess to follow even when the question's terms favour it. */
const LEAD_FLOOR = 0.4;

/**
 * The item the retriever's first hit is about, when the question names no service well enough: taken when the
 * retriever is clear about it (calibrated score and margin over any other item), or when, among it and the
 * other related candidates, the question's own terms single it out. A family member is taken only when the
 * question tells it from its mates (or the first hit is one of its own FAQs); otherwise the family is offered.
 * `wanted`: the actions the question asks for.
 */
function retrieverLead(
  kb: KnowledgeBase, retriever: Retriever, candidates: readonly ItemCandidate[], message: string, wanted: readonly string[], hits: SearchHit[], confidence?: SearchConfidence,
): Resolution | undefined {
  const first = hits[0];
  const item = first?.itemId ? kb.itemsById.get(first.itemId) : undefined;
  if (!first || !item || !confidence || confidence.top < LEAD_FLOOR) return undefined;
  const clear = confidence.top >= LEAD_TOP && confidence.margin >= LEAD_MARGIN;
  const family = familyOf(kb, item);
  if (family.length > 1) {
    const told = discriminate(kb, retriever, family, message);
    // what tells the members apart (an action word) does not say the question is about the family at all: when the
    // retriever is not clear, the family must speak of most of what the question does ("建筑工程施工许可证怎么申请")
    if (told.item && (clear || speaksOfMost(retriever, family, message))) return { kind: 'item', item: told.item, confidence: 0.7, hits };
    if (!clear) return undefined;
    const best = told.scores[0]!.score;
    const fitting = best > 0 ? told.scores.filter((s) => s.score >= best - 0.6).map((s) => s.item) : family;
    // the question's terms lean to the lead's side and one of its own FAQs answers it ("换了新护照 旧护照里的美签")
    if (first.kind === 'item-faq' && best > 0 && fitting.includes(item)) return { kind: 'item', item, confidence: 0.65, hits };
    return { kind: 'clarify', choices: (fitting.length >= 2 ? fitting : family).slice(0, 6), family: item.family, confidence: 0.5, hits };
  }
  // a service the question does not name, speaking nowhere of what it asks done ("教师资格证到期怎么延续" is not
  // 技能提升补贴 for naming 教师资格证 in an FAQ), answers another question
  if (wanted.length && !doesAnyOf(retriever, item, wanted)) return undefined;
  if (clear) return coverageClash(kb, retriever, item, message, hits, confidence) ?? { kind: 'item', item, confidence: 0.65, hits };
  // not clear: the lead must stand out among the other related services by the question's own terms
  const rivals = new Map<string, ServiceItem>();
  for (const c of candidates) if (c.item !== item && c.affinity >= RELATED) rivals.set(c.item.id, c.item);
  for (const h of hits.slice(0, 5)) {
    const other = h.itemId && h.itemId !== item.id ? kb.itemsById.get(h.itemId) : undefined;
    if (other) rivals.set(other.id, other);
  }
  // nothing else related: the lead stands alone, when it speaks of most of what the question does
  if (!rivals.size) return speaksOfMost(retriever, [item], message) ? coverageClash(kb, retriever, item, message, hits, confidence) ?? { kind: 'item', item, confidence: 0.6, hits } : undefined;
  const told = discriminate(kb, retriever, [item, ...[...rivals.values()].slice(0, 4)], message);
  return told.item === item ? coverageClash(kb, retriever, item, message, hits, confidence) ?? { kind: 'item', item, confidence: 0.6, hits } : undefined;
}

const CHINESE_DIGITS: Readonly<Record<string, number>> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** The position a reply names among `count` choices: "2", "第二个", "选3", "最后一个" (1-based). */
function choiceNumber(text: string, count: number): number | undefined {
  if (/^(选)?(最后|最后面)(一个|一项|那个|那项)?$/.test(text)) return count || undefined;
  const m = /^(?:选|我选)?第?([1-9]|[一二两三四五六七八九])(?:个|项|种|条)?(?:吧|吗)?[.。、)]?$/.exec(text);
  if (!m) return undefined;
  const n = CHINESE_DIGITS[m[1]!] ?? Number(m[1]);
  return n >= 1 && n <= count ? n : undefined;
}

/** Which offered choice a reply picks: its number, its title, or a name of exactly one of the choices. */
export function pickChoice(kb: KnowledgeBase, message: string, choices: readonly string[]): string | undefined {
  const text = normalize(normalizeText(message));
  const n = choiceNumber(text, choices.length);
  if (n !== undefined) return choices[n - 1];
  const direct = choices.find((id) => id === text);
  if (direct) return direct;
  const idx = nameIndex(kb);
  const matches = choices.filter((id) => (idx.names.get(id) ?? []).some((name) => text.includes(name) || (text.length >= 2 && name === text)));
  if (matches.length === 1) return matches[0];
  const toText = similarityTo(text);
  const scored = choices
    .map((id) => ({ id, s: Math.max(0, ...(idx.names.get(id) ?? []).map(toText)) }))
    .sort((a, b) => b.s - a.s);
  if (scored[0] && scored[0].s >= 0.5 && (!scored[1] || scored[0].s - scored[1].s >= 0.15)) return scored[0].id;
  return undefined;
}

/**
 * The choice a reply to a clarifying question singles out by what it says rather than by a name ("第一次办":
 * 首次申领; "丢了": 补领), when the choices speak of every word of it: a reply naming anything else
 * ("护照丢了怎么办"; "身份证丢了" to the passports, whose guides list the ID card) is a new question.
 */
export async function choiceToldApart(kb: KnowledgeBase, retriever: Retriever, choices: readonly ServiceItem[], message: string): Promise<ServiceItem | undefined> {
  const words = contentWords(retriever, message);
  if (choices.length < 2 || unspokenBy(retriever, choices, words).length) return undefined;
  const told = discriminate(kb, retriever, choices, message).item;
  return told && !(await namesOtherService(kb, retriever, choices, message, words)) ? told : undefined;
}

/**
 * Whether the message names a service other than `choices` by a word none of theirs names have ("身份证丢了" to
 * the passports: 身份证 is in their guides, as a material, and in the names of the ID card services the search finds).
 */
async function namesOtherService(kb: KnowledgeBase, retriever: Retriever, choices: readonly ServiceItem[], message: string, words: readonly string[]): Promise<boolean> {
  const foreign = words.filter((w) => !choices.some((c) => namesHold(retriever, c, w)));
  if (!foreign.length) return false;
  const hits = await retriever.search(message, { k: 8 });
  return hits.some((h) => {
    const other = h.itemId && !choices.some((c) => c.id === h.itemId) ? kb.itemsById.get(h.itemId) : undefined;
    return !!other && foreign.some((w) => namesHold(retriever, other, w));
  });
}

/**
 * Which of the services the last answer spoke of (a general FAQ's) a follow-up means: the one its words single
 * out, when every word of it is in those services' names ("租房" after 公积金在什么情况下可以提取).
 */
export function relatedPicked(kb: KnowledgeBase, retriever: Retriever, related: readonly ServiceItem[], message: string): ServiceItem | undefined {
  const words = contentWords(retriever, message);
  if (related.length < 2 || !words.length || !words.every((w) => related.some((i) => namesHold(retriever, i, w)))) return undefined;
  return discriminate(kb, retriever, related, message).item;
}

/**
 * The member of the current service's family a follow-up turns to by what it does ("换发" after 护照首次申领,
 * "补领呢"): not when the current service itself speaks of the follow-up's words ("多久出结论": its own 结论).
 */
export function siblingToldApart(kb: KnowledgeBase, retriever: Retriever, current: ServiceItem, message: string): ServiceItem | undefined {
  const family = familyOf(kb, current);
  const words = contentWords(retriever, message);
  if (family.length < 2 || unspokenBy(retriever, [current], words).length < words.length) return undefined;
  // on evidence enough to switch services (a lone character, 换 of "去哪换" after 换领, is not), none of it the current's
  const { item: told, scores } = discriminate(kb, retriever, family, message);
  const strong = scores[0]!.score >= SWITCH_EVIDENCE;
  return told && told !== current && strong && !scores.some((s) => s.item === current && s.score > 0) ? told : undefined;
}

/** Whether one of the item's names (or, with `keywords`, one of its keywords) is written in the message. */
export function namesItem(kb: KnowledgeBase, item: ServiceItem, message: string, keywords = true): boolean {
  const text = normalize(normalizeText(message));
  const idx = nameIndex(kb);
  return [...(idx.names.get(item.id) ?? []), ...(keywords ? idx.keywords.get(item.id) ?? [] : [])].some((n) => text.includes(n));
}
