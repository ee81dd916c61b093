/**
 * Telling close items apart: members of a family (居住证首次申领 / 补领 / 换领), or the few candidates a question
 * sits between. Each item's names (title, aliases, keywords) give it terms; a term of the question counts for an
 * item only when it separates it from the others (weighted by how few of them share it), and action words
 * (注销, 变更, 补办, 换领, 提取, 转入...) count three times: they are what tells a family's services apart.
 */
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type { ServiceItem } from '../kb/schema.ts';
import type { Retriever } from '../retrieval/types.ts';
import { spellings } from '../retrieval/index.ts';
import { subjectOf } from './aspects.ts';
import { normalize } from './language.ts';
import { boundedMemo } from './memo.ts';
import { inBackground } from './warm.ts';

/** What a citizen wants done, in the words they use: an action class and its surface forms (Chinese, English). */
const ACTIONS: Array<[string, RegExp]> = [
  ['reissue', /丢|遗失|补(?!贴|助|缴|充|偿|采|税|录|正|交|报|齐|上|写|填|登|记)|被偷|被盗|找不到|掉了|挂失|损毁|\blost\b|\bstolen\b|\bmissing\b|\breissue/],
  ['renew', /到期|过期|期满|换领|换发|换证|换本|换新|续期|续签|延期|延续|快过期|\brenew|\bexpir|\bextend|\bextension/],
  // 办/申请 opening what is wanted ("想办个居住证", "办残疾证要花钱吗") asks to get one, unlike "X怎么办" or 补办/换办
  // ("apply for" / "get a" as 申请/办个: to get one; not "apply for a replacement", "get a new one", "apply for my …")
  ['first', /首次|第一次|头一回|初次|新办|首办|\bfirst\b|\bapply(?:ing)? for (?!(?:a |an )?(?:my |your |replacement|renewal|reissue|new one|new copy))|\bget (?:a|an) (?!replacement|new one|new copy)|(?<=^|[想要能以去来给帮我您在\s，,。?？])(办理|申请|申领|办(?!理))(个|一个|张|一张)?(?=[\u3400-\u9fff])(?!事|法|手续|完|好|下来|不|吗|呢|啊|了|的|流程|程序|步骤)/],
  ['deregister', /注销|不(?:想|打算|准备)?(?:再)?(?:干|开)了|关店|关门|歇业|解散|\bclose\b|\bclosing\b|deregist|wind up|\bcancel(?:l?ing|l?ed)? (?:(?:my|the|our|a|its) )?(?:company|business|firm|shop|store)\b/],
  ['change', /变更|更改|更正|修改|改名|改地址|错了|(?<!改)改(?!革|善)|\bchange|\bcorrect|\bamend/],
  ['setup', /设立|注册|开办|成立|开公司|开店|\bregister|set up|\bstart\b|\bopen\b/],
  ['withdraw', /提取|取出|取公积金|提公积金|(?<!领)取(?=出来|钱)|(?:能|可以)提(?=多少|几)|公积金[^，。？?]{0,8}(?:怎么|咋|如何|能|可以)(?:取|提)(?=$|[吗呢啊？?。，,！!\s])|\bwithdraw/],
  ['transfer-in', /转入|转到北京|转来北京|转北京|转过来|转进|迁入|迁到北京|投靠|into beijing|to beijing|transfer in/],
  ['transfer-out', /转出|转回|转到外地|转到老家|回老家|离京|迁出|out of beijing|leave beijing|transfer out/],
  ['prepay', /提前还|结清|\bprepay|pay off/],
  ['query', /查询|查一下|查档|打印|开证明|证明|记录|\bquery|\bprint|\brecords?\b|certificate of/],
  ['endorse', /签注|加签|再签|\bendorse/],
  // cancelling a company is closing it (注销), above
  ['cancel', /解押|解除|撤销|\bcancel(?!(?:l?ing|l?ed)? (?:(?:my|the|our|a|its) )?(?:company|business|firm|shop|store)\b)|\brelease\b/],
  ['reassess', /再次|复查|重新|不服|\breassess|\bagain\b/],
];

/** 申请/申领 closing a how/where/online question ("社保卡能网上申请吗", "居住证怎么申请"): to get one, when nothing else is asked for. */
const APPLY_CLOSING = /(?:怎么|怎样|如何|咋|哪里|哪儿|在哪|网上|线上|可以|能)(?:申请|申领)(?=$|[吗呢啊呀？?。，,！!\s])/;

export function actionsIn(text: string): string[] {
  const t = text.toLowerCase();
  const found = ACTIONS.filter(([, re]) => re.test(t)).map(([a]) => `act:${a}`);
  return found.length || !APPLY_CLOSING.test(t) ? found : ['act:first'];
}

/**
 * Items' terms, per retriever (its analyzer tokenises; a rebuilt index after a KB reload gets a fresh table):
 * every term some item's names carry gets a number, and each item keeps its terms as sorted numbers. That is a
 * few dozen bytes per item, so every item of a large knowledge base keeps them, and asking whether an item
 * carries a term is a binary search, with nothing made per question and item.
 */
class TermTable {
  private readonly numbers = new Map<string, number>();
  /** The term of each number. */
  private readonly terms: string[] = [];
  private readonly byItem = new Map<string, Int32Array>();
  /** Question terms as looked up lately; a term numbered since may change a probe, so numbering one empties them. */
  private readonly probes = new Map<string, Probe>();

  constructor(private readonly retriever: Retriever) {}

  /** A question term as items are searched for it (made once however many items are searched). */
  probe(term: string): Probe {
    let probe = this.probes.get(term);
    if (!probe) {
      if (this.probes.size >= MAX_PROBES) this.probes.clear();
      this.probes.set(term, (probe = probeOf(this, term)));
    }
    return probe;
  }

  /** The number of a term some item carries (undefined: no item does). */
  numberOf(term: string): number | undefined {
    return this.numbers.get(term);
  }

  termOf(n: number): string {
    return this.terms[n]!;
  }

  /** The item's terms, as sorted numbers (computed the first time: that segments each of its names). */
  of(item: ServiceItem): Int32Array {
    let terms = this.byItem.get(item.id);
    if (!terms) this.byItem.set(item.id, (terms = this.compute(item)));
    return terms;
  }

  private compute(item: ServiceItem): Int32Array {
    const names = [item.title, item.titleEn, ...item.aliases, ...item.aliasesEn, ...item.keywords].filter((n): n is string => !!n);
    const set = new Set<number>();
    for (const n of names) {
      // names and questions are compared without fillers and aspect words (怎么办, 要什么材料)
      // (in both spellings: "driver's license" and "driving licence" are one name)
      for (const tok of this.retriever.analyze(subjectOf(n)).tokens) for (const t of spellings(tok)) set.add(this.number(t));
      for (const a of actionsIn(n)) set.add(this.number(a));
    }
    return Int32Array.from(set).sort();
  }

  private number(term: string): number {
    let n = this.numbers.get(term);
    if (n === undefined) {
      n = this.terms.push(term) - 1;
      this.numbers.set(term, n);
      this.probes.clear();
    }
    return n;
  }
}

const MAX_PROBES = 4096;

const tables = new WeakMap<object, TermTable>();

function tableOf(retriever: Retriever): TermTable {
  let table = tables.get(retriever);
  if (!table) tables.set(retriever, (table = new TermTable(retriever)));
  return table;
}

/** Whether sorted term numbers include `n`. */
function includes(terms: Int32Array, n: number | undefined): boolean {
  if (n === undefined) return false;
  let lo = 0;
  let hi = terms.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = terms[mid]!;
    if (v === n) return true;
    if (v < n) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/**
 * A question term as items are searched for it: its number, and the numbered halves it can be split into (the
 * segmenter keeps "抵押登记" whole in one name and splits it in another; "公司注销" is "公司" + "注销").
 */
interface Probe {
  n: number | undefined;
  halves: Array<[number, number]>;
}

function probeOf(table: TermTable, q: string): Probe {
  const halves: Array<[number, number]> = [];
  if (!q.startsWith('act:') && /^[\u3400-\u9fff]{3,8}$/.test(q)) {
    for (let i = 1; i < q.length; i++) {
      const a = table.numberOf(q.slice(0, i));
      const b = a === undefined ? undefined : table.numberOf(q.slice(i));
      if (b !== undefined) halves.push([a!, b]);
    }
  }
  return { n: table.numberOf(q), halves };
}

/** Whether an item's terms carry a question term: the term itself, or both halves of a compound. */
function holds(terms: Int32Array, probe: Probe): boolean {
  if (includes(terms, probe.n)) return true;
  for (const [a, b] of probe.halves) if (includes(terms, a) && includes(terms, b)) return true;
  return false;
}

/**
 * Computes the terms of every item ahead of questions, in the background (~0.15 ms per item: ~2 s on 15,000
 * items). Stops when the retriever is no longer the current one.
 */
export function warmItemTerms(retriever: Retriever, items: readonly ServiceItem[], current: () => Retriever = () => retriever): Promise<void> {
  const table = tableOf(retriever);
  return inBackground(items, (item) => table.of(item), () => current() === retriever);
}

/** Whether an item's names (title, aliases, keywords) carry a term of the question, as discriminate counts it. */
export function namesHold(retriever: Retriever, item: ServiceItem, term: string): boolean {
  const table = tableOf(retriever);
  return holds(table.of(item), table.probe(term));
}

/** Questions' terms, per retriever: one answer reads its question's terms several times (resolve, coverage, discriminate). */
const questionTermMemos = new WeakMap<object, (message: string) => readonly string[]>();

/** The terms discriminate reads in a question: its tokens beyond aspect words and fillers, and its action classes. */
export function questionTerms(retriever: Retriever, message: string): readonly string[] {
  let memo = questionTermMemos.get(retriever);
  if (!memo) {
    memo = boundedMemo(64, (m: string) => Object.freeze([...new Set([...retriever.analyze(subjectOf(m)).tokens, ...actionsIn(normalize(m))])]));
    questionTermMemos.set(retriever, memo);
  }
  return memo(message);
}

/** The action classes an item's names speak of (补领 → reissue). */
export function itemActions(retriever: Retriever, item: ServiceItem): string[] {
  const table = tableOf(retriever);
  return Array.from(table.of(item), (n) => table.termOf(n)).filter((t) => t.startsWith('act:'));
}

export interface Discrimination {
  /** The item the question points to, when it clearly stands out. */
  item?: ServiceItem;
  scores: Array<{ item: ServiceItem; score: number }>;
}

const ACTION_WEIGHT = 3;
/** A lone character left of a name ("提前还贷" → 贷) is weak evidence. */
const SINGLE_CHAR_WEIGHT = 0.6;
const SINGLE_CJK = /^[\u3400-\u9fff]$/;

/** Which of `items` the question singles out by the terms only that item (or few of them) carry. */
export function discriminate(kb: KnowledgeBase, retriever: Retriever, items: readonly ServiceItem[], message: string): Discrimination {
  void kb;
  if (items.length < 2) return { ...(items[0] ? { item: items[0] } : {}), scores: items.map((item) => ({ item, score: 1 })) };
  const query = questionTerms(retriever, message);
  const table = tableOf(retriever);
  const termsOf = items.map((i) => table.of(i));
  const k = items.length;
  const scores = items.map((item) => ({ item, score: 0 }));
  const held = new Uint8Array(k);
  for (const q of query) {
    const probe = table.probe(q);
    let holders = 0;
    for (let i = 0; i < k; i++) holders += held[i] = holds(termsOf[i]!, probe) ? 1 : 0;
    if (!holders || holders === k) continue;
    const w = Math.log(k / holders) * (q.startsWith('act:') ? ACTION_WEIGHT : SINGLE_CJK.test(q) && !actionsIn(q).length ? SINGLE_CHAR_WEIGHT : 1);
    for (let i = 0; i < k; i++) if (held[i]) scores[i]!.score += w;
  }
  const ranked = [...scores].sort((a, b) => b.score - a.score);
  const [first, second] = ranked;
  const decisive = !!first && first.score >= 0.6 && first.score - (second?.score ?? 0) >= 0.6 && first.score >= 1.5 * (second?.score ?? 0);
  return { ...(decisive ? { item: first.item } : {}), scores: ranked };
}
