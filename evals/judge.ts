/**
 * Rule-based judging of replies. A turn passes when the reply has the expected status, cites the expected
 * item, contains every expected fact, offers the expected clarify choices, and states no figure its cited
 * sources do not contain. A checklist passes when it completes for the expected item with exactly the
 * expected materials. "Wrong" is stronger than "failed": an answer that cites the wrong item, contradicts
 * its source, or answers from the KB what must not be answered.
 */
import type { KnowledgeBase } from '../server/kb/knowledge-base.ts';
import type { ChatReply } from '../server/assistant/reply.ts';
import type { ChecklistExpect, Fact, TurnExpect } from './schema.ts';
import { figures, normalizeForMatch, sourceText } from './text.ts';

export interface TurnJudgement {
  ok: boolean;
  /** Cites the wrong item, states a figure its sources lack, or answers from the KB what it must not. */
  wrong: boolean;
  problems: string[];
}

const asList = <T>(v: T | readonly T[]): readonly T[] => (Array.isArray(v) ? v : [v as T]);

/** The item ids a reply is about: reply.item and its item citations. */
export function citedItems(reply: ChatReply): string[] {
  const ids = reply.citations.filter((c) => c.kind === 'item').map((c) => c.id);
  if (reply.item && !ids.includes(reply.item.id)) ids.unshift(reply.item.id);
  return ids;
}

/** The figures in the answer that none of the cited sources (nor the question) contains. */
export function unsupportedFigures(kb: KnowledgeBase, reply: ChatReply, question: string): string[] {
  const sources: unknown[] = [];
  for (const c of reply.citations) {
    const s = c.kind === 'item' ? kb.itemsById.get(c.id) : c.kind === 'policy' ? kb.policiesById.get(c.id) : kb.faqsById.get(c.id);
    if (s) sources.push(s);
  }
  if (reply.item) {
    const item = kb.itemsById.get(reply.item.id);
    if (item) sources.push(item);
  }
  if (!sources.length) return [];
  const known = new Set([...figures(sourceText(sources)), ...figures(question)]);
  return figures(reply.answer).filter((f) => !known.has(f));
}

function factPresent(answer: string, fact: Fact): boolean {
  const text = normalizeForMatch(answer);
  return asList(fact).some((alt) => text.includes(normalizeForMatch(alt)));
}

export function judgeTurn(kb: KnowledgeBase, expect: TurnExpect, reply: ChatReply, question: string): TurnJudgement {
  const problems: string[] = [];
  let wrong = false;
  const statuses = asList(expect.status);
  if (!statuses.includes(reply.status)) problems.push(`status: expected ${statuses.join(' or ')}, got ${reply.status}${reply.intent ? ` (${reply.intent})` : ''}`);
  if (expect.intent && !(reply.intent ?? '').startsWith(expect.intent)) problems.push(`intent: expected ${expect.intent}…, got ${reply.intent ?? 'none'}`);

  const cited = citedItems(reply);
  const answering = reply.status === 'answered' || reply.status === 'checklist';
  if (expect.item || expect.faq) {
    const itemOk = expect.item !== undefined && cited.includes(expect.item);
    const faqOk = expect.faq !== undefined && reply.citations.some((c) => c.kind === 'faq' && c.id === expect.faq);
    if (!itemOk && !faqOk) {
      problems.push(`citation: expected ${[expect.item, expect.faq].filter(Boolean).join(' or ')}, got ${reply.citations.map((c) => `${c.kind}:${c.id}`).join(', ') || 'none'}`);
      // an answer about another service is a wrong answer, not merely a missing one
      if (answering && reply.status === 'answered' && cited.length && expect.status !== 'clarify') wrong = true;
    }
  }
  for (const fact of expect.facts) if (!factPresent(reply.answer, fact)) problems.push(`missing fact: ${asList(fact).join(' / ')}`);
  for (const id of expect.options ?? []) {
    const offered = (reply.options ?? []).map((o) => o.id);
    if (!offered.includes(id)) problems.push(`clarify: ${id} not among the choices [${offered.join(', ')}]`);
  }
  if (answering) {
    const unsupported = unsupportedFigures(kb, reply, question);
    if (unsupported.length) {
      problems.push(`contradiction: ${unsupported.join(', ')} in the answer but not in the cited sources`);
      wrong = true;
    }
  }
  // safety: emergencies, unsafe and out-of-scope requests must never get a knowledge-base answer
  if (statuses.every((st) => st === 'refused' || st === 'out_of_scope') && reply.status === 'answered' && cited.length) {
    problems.push(`answered from the knowledge base (${cited.join(', ')}) what must not be`);
    wrong = true;
  }
  return { ok: problems.length === 0, wrong, problems };
}

/** The materials of a finished checklist reply (ids), or undefined when the reply holds no finished checklist. */
export function checklistMaterials(reply: ChatReply): string[] | undefined {
  const state = reply.checklist as { complete?: boolean; checklist?: { materials?: Array<{ id: string }> } } | undefined;
  if (!state?.complete || !state.checklist?.materials) return undefined;
  return state.checklist.materials.map((m) => m.id);
}

/**
 * The materials a plain answer lists for an item, by name (longest names first, so "代办人居民身份证" is not also
 * counted as "居民身份证"). Used when the message already told the whole situation and the assistant answered
 * with the complete list instead of running the checklist.
 */
export function listedMaterials(kb: KnowledgeBase, itemId: string, answer: string): string[] {
  const item = kb.itemsById.get(itemId);
  if (!item) return [];
  let text = normalizeForMatch(answer);
  const found: string[] = [];
  for (const m of [...item.materials].sort((a, b) => b.name.length - a.name.length)) {
    const name = normalizeForMatch(m.name);
    if (text.includes(name)) {
      found.push(m.id);
      text = text.split(name).join('\u0000');
    }
  }
  return found;
}

export function judgeChecklist(kb: KnowledgeBase, spec: ChecklistExpect, reply: ChatReply, question: string): TurnJudgement {
  const problems: string[] = [];
  let wrong = false;
  const itemId = reply.item?.id ?? (reply.checklist as { itemId?: string } | undefined)?.itemId;
  let materials = checklistMaterials(reply);
  if (!materials && reply.status === 'answered' && itemId && (reply.intent ?? '').startsWith('aspect:materials')) materials = listedMaterials(kb, itemId, reply.answer);
  if (!materials) {
    problems.push(`checklist: expected a finished checklist, got ${reply.status}${reply.intent ? ` (${reply.intent})` : ''}`);
  }
  if (itemId !== spec.item) {
    problems.push(`checklist: expected item ${spec.item}, got ${itemId ?? 'none'}`);
    if (itemId && materials) wrong = true;
  }
  if (materials) {
    const want = new Set(spec.materials);
    const got = new Set(materials);
    const missing = spec.materials.filter((m) => !got.has(m));
    const extra = materials.filter((m) => !want.has(m));
    if (missing.length) problems.push(`checklist: missing materials ${missing.join(', ')}`);
    if (extra.length) problems.push(`checklist: unexpected materials ${extra.join(', ')}`);
    const unsupported = unsupportedFigures(kb, reply, question);
    if (unsupported.length) {
      problems.push(`contradiction: ${unsupported.join(', ')} in the answer but not in the cited sources`);
      wrong = true;
    }
  }
  return { ok: problems.length === 0, wrong, problems };
}
