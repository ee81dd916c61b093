/**
 * A held-out probe of family-level vagueness, generated from the knowledge base itself (no eval phrase in it):
 * for every family (items sharing `family`), the phrases every member's names share and no other item's names
 * carry name the family as a whole. A question made of such a phrase and only aspect words ("X怎么办",
 * "X在哪办", English alike) must be clarified with exactly the members; the phrase with one member's distinctive
 * remainder ("丢了", "补发", "过期") must be answered with that member. "办X要什么材料" asks to get one: it
 * must be answered with the family's first-application member when there is exactly one, else clarified.
 *
 * The templates come in two sets: `tuning` (looked at while changing the policy) and `heldout` (only run for
 * the figures). Run:
 *
 *   npx tsx server/assistant/quality/family-probe.ts [--set tuning|heldout|all] [--verbose]
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../../config/config.ts';
import { createGuides } from '../../guides/index.ts';
import type { KnowledgeBase } from '../../kb/knowledge-base.ts';
import type { ServiceItem } from '../../kb/schema.ts';
import { loadKnowledgeBase } from '../../kb/index.ts';
import { buildRetriever, normalizeText } from '../../retrieval/index.ts';
import { subjectOf } from '../aspects.ts';
import { actionsIn } from '../discriminate.ts';
import { createAssistant, createMemorySessionStore } from '../index.ts';
import { normalize } from '../language.ts';
import type { ChatReply } from '../reply.ts';
import type { Retriever } from '../../retrieval/types.ts';

export type TemplateSet = 'tuning' | 'heldout';

export interface FamilyProbeCase {
  family: string;
  set: TemplateSet;
  kind: 'vague' | 'specific';
  message: string;
  /** vague: the members the clarification must offer, exactly; specific: the one member to answer with. */
  expect: string[];
}

const VAGUE_ZH: Record<TemplateSet, string[]> = {
  tuning: ['{X}怎么办', '办{X}要什么材料', '{X}在哪办'],
  heldout: ['{X}的事咋整', '{X}要多久', '请问{X}网上能办吗'],
};
const VAGUE_EN: Record<TemplateSet, string[]> = {
  tuning: ['How do I deal with {X}?', 'What documents do I need for {X}?'],
  heldout: ['Where can I handle {X}?', 'How long does {X} take?'],
};
const SPECIFIC_ZH: Record<TemplateSet, string[]> = {
  tuning: ['{XD}怎么办', '{XD}要什么材料'],
  heldout: ['请问{XD}在哪里办', '{XD}要多久'],
};

const norm = (s: string) => normalize(normalizeText(s, { traditional: false }));

/** Names a citizen would say (title and aliases); keywords only count against a phrase's exclusivity. */
function zhNames(item: ServiceItem, withKeywords = false): string[] {
  return [item.title, ...item.aliases, ...(withKeywords ? item.keywords : [])].map(norm).filter((n) => n.length >= 2);
}
function enNames(item: ServiceItem, withAliases = false): string[] {
  return [item.titleEn, ...(withAliases ? item.aliasesEn : [])].filter((n): n is string => !!n).map((n) => n.toLowerCase().replace(/[^a-z0-9' ]+/g, ' ').replace(/\s+/g, ' ').trim());
}

/** A name cut into words: at each place the longest of the retriever's tokens that starts there (else a character). */
function words(retriever: Retriever, name: string): string[] {
  const tokens = new Set(retriever.analyze(name).tokens);
  const out: string[] = [];
  for (let i = 0; i < name.length; ) {
    let len = 1;
    for (let j = Math.min(name.length, i + 10); j > i + 1; j--) if (tokens.has(name.slice(i, j))) { len = j - i; break; }
    out.push(name.slice(i, i + len));
    i += len;
  }
  return out;
}

/** Runs of 1..4 whole words (the retriever's segmentation for Chinese), so a phrase never cuts a word. */
function wordRuns(words: readonly string[], sep: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < words.length; i++) for (let j = i + 1; j <= Math.min(words.length, i + 4); j++) out.add(words.slice(i, j).join(sep));
  return out;
}

/** An English phrase names a service object when it ends in one (not "subsidy for persons", "treatment outside"). */
const EN_HEAD = /^(permit|card|certificate|passport|licence|license|insurance|registration|loan|subsidy|allowance|hukou|sme|assessment|fund)$/;
const EN_FUNCTION = /^(of|for|a|an|the|to|in|on|and|or|with|by|after|from|beijing|s)$/;

/**
 * Phrases naming the family as a whole: in some name of every member, in no name of any other item, holding
 * no action word and a real subject once aspect words are gone; maximal (not inside a longer such phrase).
 */
export function familyPhrases(kb: KnowledgeBase, retriever: Retriever, members: readonly ServiceItem[], lang: 'zh' | 'en'): string[] {
  const namesOf = lang === 'zh' ? zhNames : enNames;
  const grams = (n: string) => (lang === 'zh' ? wordRuns(words(retriever, n), '') : wordRuns(n.split(' '), ' '));
  const ids = new Set(members.map((m) => m.id));
  let common: Set<string> | undefined;
  for (const m of members) {
    const mine = new Set(namesOf(m).flatMap((n) => [...grams(n)]));
    common = common ? new Set([...common].filter((g) => mine.has(g))) : mine;
  }
  const others = kb.items.filter((i) => !ids.has(i.id)).flatMap((i) => namesOf(i, true));
  const ok = [...(common ?? [])].filter((p) => {
    if (actionsIn(p).length) return false;
    if (lang === 'en') {
      const words = p.split(' ');
      if (EN_FUNCTION.test(words[0]!) || EN_FUNCTION.test(words[words.length - 1]!) || p.length < 4) return false;
      if (!EN_HEAD.test(words[words.length - 1]!)) return false;
    } else if (subjectOf(p).replace(/\s+/g, '') !== p || p.length < 2 || !/^[\u3400-\u9fff]+$/.test(p) || /[怎咋么]/.test(p)) return false;
    return !others.some((n) => n.includes(p));
  });
  return ok.filter((p) => !ok.some((q) => q !== p && q.includes(p))).sort((a, b) => b.length - a.length).slice(0, 2);
}

/**
 * What one member's names add to the family phrase and no mate's name carries: "护照丢了" − "护照" → "丢了".
 * Only remainders that still say something (an action word or a subject once fillers are gone).
 */
export function distinctiveRemainders(retriever: Retriever, members: readonly ServiceItem[], member: ServiceItem, shared: readonly string[]): Array<{ d: string; before: boolean }> {
  const mates = members.filter((m) => m !== member).flatMap((m) => zhNames(m, true));
  const out = new Map<string, boolean>();
  for (const phrase of shared) {
    for (const name of zhNames(member)) {
      const at = name.indexOf(phrase);
      if (at < 0) continue;
      const parts: Array<[string, boolean]> = [[name.slice(0, at), true], [name.slice(at + phrase.length), false]];
      for (const [part, before] of parts) {
        const d = part.replace(/^(的|之|怎么办|怎么|办理?)|(怎么办|怎么弄|怎么|办理|的)$/g, '');
        if (d.length < 2 || d.length > 5 || /[《》（）()\s]/.test(d)) continue;
        if (!actionsIn(d).length && subjectOf(d).replace(/\s+/g, '').length < 2) continue;
        if (mates.some((n) => n.includes(d)) || shared.some((w) => d.includes(w))) continue;
        // and one word of it (two characters or more) that no mate's name has
        if (!actionsIn(d).length && !words(retriever, d).some((w) => w.length >= 2 && !mates.some((n) => n.includes(w)))) continue;
        if (!out.has(d)) out.set(d, before);
      }
    }
  }
  return [...out].slice(0, 2).map(([d, before]) => ({ d, before }));
}

/** Words every member's names share (the family's own word, like 护照 or 居住证), exclusive or not. */
function sharedWords(retriever: Retriever, members: readonly ServiceItem[]): string[] {
  let common: Set<string> | undefined;
  for (const m of members) {
    const mine = new Set(zhNames(m).flatMap((n) => [...wordRuns(words(retriever, n), '')]));
    common = common ? new Set([...common].filter((g) => mine.has(g))) : mine;
  }
  return [...(common ?? [])].filter((p) => !actionsIn(p).length && subjectOf(p).replace(/\s+/g, '').length >= 2);
}

export function familyProbeCases(kb: KnowledgeBase, retriever: Retriever, sets: readonly TemplateSet[] = ['tuning', 'heldout']): FamilyProbeCase[] {
  const families = new Map<string, ServiceItem[]>();
  for (const item of kb.items) if (item.family) families.set(item.family, [...(families.get(item.family) ?? []), item]);
  const cases: FamilyProbeCase[] = [];
  for (const [family, members] of families) {
    if (members.length < 2) continue;
    const ids = members.map((m) => m.id).sort();
    for (const set of sets) {
      const shared = sharedWords(retriever, members);
      for (const X of familyPhrases(kb, retriever, members, 'zh')) {
        // "办X" asks to get one: the family's one first-application member when it has exactly one
        const first = members.filter((m) => zhNames(m, true).some((n) => actionsIn(n).includes('act:first')));
        for (const tpl of VAGUE_ZH[set]) {
          const message = tpl.replace('{X}', X);
          if (tpl.includes('办{X}') && first.length === 1) cases.push({ family, set, kind: 'specific', message, expect: [first[0]!.id] });
          else cases.push({ family, set, kind: 'vague', message, expect: ids });
        }
        for (const m of members) {
          for (const { d, before } of distinctiveRemainders(retriever, members, m, [X, ...shared])) {
            const named = before ? `${d}${X}` : `${X}${d}`;
            for (const tpl of SPECIFIC_ZH[set]) cases.push({ family, set, kind: 'specific', message: tpl.replace('{XD}', named), expect: [m.id] });
          }
        }
      }
      for (const X of familyPhrases(kb, retriever, members, 'en')) {
        for (const tpl of VAGUE_EN[set]) cases.push({ family, set, kind: 'vague', message: tpl.replace('{X}', X), expect: ids });
      }
    }
  }
  return cases;
}

export interface FamilyProbeOutcome {
  probe: FamilyProbeCase;
  reply: ChatReply;
  ok: boolean;
  /** An answer citing an item other than the one expected (or any answer where a clarification was due). */
  wrong: boolean;
}

export function judgeFamily(probe: FamilyProbeCase, reply: ChatReply): FamilyProbeOutcome {
  const answered = (reply.status === 'answered' || reply.status === 'checklist') && !!reply.item;
  if (probe.kind === 'vague') {
    const offered = (reply.options ?? []).map((o) => o.id).filter((id) => id !== 'guide' && id !== 'handoff').sort();
    const ok = reply.status === 'clarify' && offered.join(',') === probe.expect.join(',');
    return { probe, reply, ok, wrong: answered };
  }
  const ok = answered && reply.item!.id === probe.expect[0];
  return { probe, reply, ok, wrong: answered && !ok };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { set: { type: 'string', default: 'all' }, verbose: { type: 'boolean', default: false }, list: { type: 'boolean', default: false } } });
  const loaded = await loadKnowledgeBase(path.join(PROJECT_ROOT, 'knowledge-base'));
  if (!loaded.kb) throw new Error('knowledge base does not load');
  const kb = loaded.kb;
  const sets: TemplateSet[] = values.set === 'all' ? ['tuning', 'heldout'] : [values.set as TemplateSet];
  const retriever = await buildRetriever(kb, { cacheDir: path.join(os.tmpdir(), 'daoban-probe-index') });
  const cases = familyProbeCases(kb, retriever, sets);
  if (values.list) {
    for (const c of cases) console.log(`${c.set} ${c.kind} ${c.family}: ${c.message} → ${c.expect.join(',')}`);
    return;
  }
  const assistant = createAssistant({ kb, retriever, guides: createGuides(kb), sessions: createMemorySessionStore() });
  const outcomes: FamilyProbeOutcome[] = [];
  let n = 0;
  for (const probe of cases) outcomes.push(judgeFamily(probe, await assistant.reply({ sessionId: `family-${++n}`, message: probe.message })));
  for (const o of outcomes) {
    if (o.ok && !values.verbose) continue;
    const r = o.reply;
    console.log(`${o.wrong ? 'WRONG' : o.ok ? 'ok   ' : 'miss '} [${o.probe.set} ${o.probe.kind}] ${o.probe.message} → want ${o.probe.expect.join(',')}; got ${r.status} ${r.intent} ${r.item?.id ?? ''} {${(r.options ?? []).map((x) => x.id).join(',')}}`);
  }
  for (const set of sets) {
    for (const kind of ['vague', 'specific'] as const) {
      const part = outcomes.filter((o) => o.probe.set === set && o.probe.kind === kind);
      if (!part.length) continue;
      const ok = part.filter((o) => o.ok).length;
      console.log(`${set} ${kind}: ${ok}/${part.length} (${((100 * ok) / part.length).toFixed(1)}%), wrong ${part.filter((o) => o.wrong).length}`);
    }
  }
  console.log(`families covered: ${new Set(cases.map((c) => c.family)).size}/${new Set(kb.items.filter((i) => i.family).map((i) => i.family)).size}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? '')) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
