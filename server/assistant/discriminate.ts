/**
 * Telling close items apart: members of a family (居住证首次申领 / 补领 / 换领), or the few candidates a question
 * sits between. Each item's names (title, aliases, keywords) give it terms; a term of the question counts for an
 * item only when it separates it from the others (weighted by how few of them share it), and action words
 * (注销, 变更, 补办, 换领, 提取, 转入...) count three times: they are what tells a family's services apart.
 */
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type { ServiceItem } from '../kb/schema.ts';
import type { Retriever } from '../retrieval/types.ts';
import { subjectOf } from './aspects.ts';
import { boundedMemo } from './memo.ts';
import { normalize } from './language.ts';
import { inBackground } from './warm.ts';

/** What a citizen wants done, in the words they use: an action class and its surface forms (Chinese, English). */
const ACTIONS: Array<[string, RegExp]> = [
  ['reissue', /丢|遗失|补(?!贴|助|缴|充|偿|采|税|录|正|交|报|齐|上|写|填|登|记)|被偷|被盗|找不到|掉了|挂失|损毁|\blost\b|\bstolen\b|\bmissing\b|\breissue/],
  ['renew', /到期|过期|期满|换领|换发|换证|换本|换新|续期|续签|延期|延续|快过期|\brenew|\bexpir|\bextend|\bextension/],
  // 办/申请 opening what is wanted ("想办个居住证", "办残疾证要花钱吗") asks to get one, unlike "X怎么办" or 补办/换办
  // ("apply for" / "get a" as 申请/办个: to get one; not "apply for a replacement", "get a new one", "apply for my …")
  ['first', /首次|第一次|头一回|初次|新办|首办|\bfirst\b|\bapply(?:ing)? for (?!(?:a |an )?(?:my |your |replacement|renewal|reissue|new one|new copy))|\bget (?:a|an) (?!replacement|new one|new copy)|(?<=^|[想要能以去来给帮我您在\s，,。?？])(办理|申请|申领|办(?!理))(个|一个|张|一张)?(?=[\u3400-\u9fff])(?!事|法|手续|完|好|下来|不|吗|呢|啊|了|的|流程|程序|步骤)/],
  ['deregister', /注销|不干了|不开了|关店|关门|歇业|解散|\bclose\b|\bclosing\b|deregist|wind up/],
  ['change', /变更|更改|更正|修改|改名|改地址|错了|(?<!改)改(?!革|善)|\bchange|\bcorrect|\bamend/],
  ['setup', /设立|注册|开办|成立|开公司|开店|\bregister|set up|\bstart\b|\bopen\b/],
  ['withdraw', /提取|取出|取公积金|提公积金|(?<!领)取(?=出来|钱)|(?:能|可以)提(?=多少|几)|公积金[^，。？?]{0,8}(?:怎么|咋|如何|能|可以)(?:取|提)(?=$|[吗呢啊？?。，,！!\s])|\bwithdraw/],
  ['transfer-in', /转入|转到北京|转来北京|转北京|转过来|转进|迁入|迁到北京|投靠|into beijing|to beijing|transfer in/],
  ['transfer-out', /转出|转回|转到外地|转到老家|回老家|离京|迁出|out of beijing|leave beijing|transfer out/],
  ['prepay', /提前还|结清|\bprepay|pay off/],
  ['query', /查询|查一下|查档|打印|开证明|证明|记录|\bquery|\bprint|\brecords?\b|certificate of/],
  ['endorse', /签注|加签|再签|\bendorse/],
  ['cancel', /解押|解除|撤销|\bcancel|\brelease\b/],
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
 * An item's terms, joined as "\u0001t1\u0001t2\u0001": a few hundred bytes per item rather than a Set, so every item
 * of a large knowledge base can keep its terms (computing them segments each of its names).
 */
type Terms = string;
const SEP = '\u0001';

/** Terms per item, per retriever (its analyzer tokenises; a rebuilt index after a KB reload gets fresh terms). */
const termCache = new WeakMap<object, Map<string, Terms>>();

function computeTerms(retriever: Retriever, item: ServiceItem): Terms {
  const names = [item.title, item.titleEn, ...item.aliases, ...item.aliasesEn, ...item.keywords].filter((n): n is string => !!n);
  const set = new Set<string>();
  for (const n of names) {
    // names and questions are compared without fillers and aspect words (怎么办, 要什么材料)
    for (const tok of retriever.analyze(subjectOf(n)).tokens) set.add(tok);
    for (const a of actionsIn(n)) set.add(a);
  }
  return `${SEP}${[...set].join(SEP)}${SEP}`;
}

function itemTerms(retriever: Retriever, item: ServiceItem): Terms {
  let perItem = termCache.get(retriever);
  if (!perItem) termCache.set(retriever, (perItem = new Map()));
  let terms = perItem.get(item.id);
  if (terms === undefined) perItem.set(item.id, (terms = computeTerms(retriever, item)));
  return terms;
}

/**
 * Computes the terms of every item ahead of questions, in the background (~0.15 ms per item: ~2 s on 15,000
 * items). Stops when the retriever is no longer the current one.
 */
export function warmItemTerms(retriever: Retriever, items: readonly ServiceItem[], current: () => Retriever = () => retriever): Promise<void> {
  return inBackground(items, (item) => itemTerms(retriever, item), () => current() === retriever);
}

/** The terms of items being compared now, as Sets (lookups in a joined string cost ~10% of a reply); bounded. */
const termSet = boundedMemo(2000, (terms: Terms): ReadonlySet<string> => new Set(terms.split(SEP).filter(Boolean)));

/** Whether an item's names (title, aliases, keywords) carry a term of the question, as discriminate counts it. */
export function namesHold(retriever: Retriever, item: ServiceItem, term: string): boolean {
  return holds(termSet(itemTerms(retriever, item)), term);
}

/** The terms discriminate reads in a question: its tokens beyond aspect words and fillers, and its action classes. */
export function questionTerms(retriever: Retriever, message: string): string[] {
  return [...new Set([...retriever.analyze(subjectOf(message)).tokens, ...actionsIn(normalize(message))])];
}

/** The action classes an item's names speak of (补领 → reissue). */
export function itemActions(retriever: Retriever, item: ServiceItem): string[] {
  return [...termSet(itemTerms(retriever, item))].filter((t) => t.startsWith('act:'));
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

/**
 * Whether an item's terms carry a query term: the term itself, or a compound of two of its terms (the segmenter
 * keeps "抵押登记" whole in one name and splits it in another; "公司注销" is "公司" + "注销").
 */
function holds(terms: ReadonlySet<string>, q: string): boolean {
  if (terms.has(q)) return true;
  if (q.startsWith('act:') || !/^[\u3400-\u9fff]{3,8}$/.test(q)) return false;
  for (let i = 1; i < q.length; i++) if (terms.has(q.slice(0, i)) && terms.has(q.slice(i))) return true;
  return false;
}

/** Which of `items` the question singles out by the terms only that item (or few of them) carry. */
export function discriminate(kb: KnowledgeBase, retriever: Retriever, items: readonly ServiceItem[], message: string): Discrimination {
  void kb;
  if (items.length < 2) return { ...(items[0] ? { item: items[0] } : {}), scores: items.map((item) => ({ item, score: 1 })) };
  const query = questionTerms(retriever, message);
  const termsOf = items.map((i) => termSet(itemTerms(retriever, i)));
  const k = items.length;
  const scores = items.map((item) => ({ item, score: 0 }));
  for (const q of query) {
    const holders = termsOf.map((t, i) => (holds(t, q) ? i : -1)).filter((i) => i >= 0);
    if (!holders.length || holders.length === k) continue;
    const w = Math.log(k / holders.length) * (q.startsWith('act:') ? ACTION_WEIGHT : SINGLE_CJK.test(q) && !actionsIn(q).length ? SINGLE_CHAR_WEIGHT : 1);
    for (const i of holders) scores[i]!.score += w;
  }
  const ranked = [...scores].sort((a, b) => b.score - a.score);
  const [first, second] = ranked;
  const decisive = !!first && first.score >= 0.6 && first.score - (second?.score ?? 0) >= 0.6 && first.score >= 1.5 * (second?.score ?? 0);
  return { ...(decisive ? { item: first.item } : {}), scores: ranked };
}
