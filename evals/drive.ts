/**
 * Plays one case against the assistant: sends each turn (a picked quick reply sends that option's value),
 * answers a running checklist's questions as the case says, and judges every reply.
 */
import type { ChatReply } from '../server/assistant/reply.ts';
import type { EvalClient } from './client.ts';
import { judgeChecklist, judgeTurn, type TurnJudgement } from './judge.ts';
import { IN_SCOPE_KINDS, type LoadedCase } from './schema.ts';

/** The parts of a reply the report keeps. */
export interface ReplySummary {
  status: ChatReply['status'];
  intent?: string;
  item?: string;
  answer: string;
  citations: string[];
  options: string[];
  confidence: number;
}

export interface TurnResult {
  say: string;
  reply: ReplySummary;
  latencyMs: number;
  judgement?: TurnJudgement;
}

export interface CaseResult {
  id: string;
  kind: LoadedCase['kind'];
  theme: string;
  split: LoadedCase['split'];
  reason: string;
  inScope: boolean;
  /** Every judged turn (and the checklist) passed. */
  pass: boolean;
  /** In scope, passed, and no person was involved. */
  resolved: boolean;
  wrong: boolean;
  /** The assistant asked a clarifying question at some turn. */
  clarified: boolean;
  handoffExpected: boolean;
  handoffGiven: boolean;
  problems: string[];
  /** What was expected, in words, for the failure list. */
  expected: string;
  turns: TurnResult[];
  error?: string;
}

const MAX_CHECKLIST_STEPS = 12;

function summarize(reply: ChatReply): ReplySummary {
  return {
    status: reply.status,
    ...(reply.intent ? { intent: reply.intent } : {}),
    ...(reply.item ? { item: reply.item.id } : {}),
    answer: reply.answer,
    citations: reply.citations.map((c) => `${c.kind}:${c.id}`),
    options: (reply.options ?? []).map((o) => o.id),
    confidence: reply.confidence,
  };
}

export function describeExpected(c: LoadedCase): string {
  const parts = c.turns.map((t, i) => {
    const e = t.expect;
    if (!e) return `${i + 1}. (no expectation)`;
    const bits = [Array.isArray(e.status) ? e.status.join('|') : e.status];
    if (e.item) bits.push(e.item);
    if (e.faq) bits.push(`faq:${e.faq}`);
    if (e.options) bits.push(`choices ⊇ [${e.options.join(', ')}]`);
    if (e.facts.length) bits.push(`facts [${e.facts.map((f) => (Array.isArray(f) ? f.join('/') : f)).join(', ')}]`);
    return `${i + 1}. ${bits.join(' ')}`;
  });
  if (c.checklist) parts.push(`checklist ${c.checklist.item}: [${c.checklist.materials.join(', ')}]`);
  return parts.join('; ');
}

export async function runCase(client: EvalClient, c: LoadedCase): Promise<CaseResult> {
  const turns: TurnResult[] = [];
  const problems: string[] = [];
  let wrong = false;
  let sessionId: string | undefined;
  let last: ChatReply | undefined;
  let error: string | undefined;

  const send = async (message: string): Promise<ChatReply> => {
    const t0 = performance.now();
    const reply = await client.chat({ message, ...(sessionId ? { sessionId } : {}), ...(c.lang ? { lang: c.lang } : {}) });
    const latencyMs = performance.now() - t0;
    sessionId = reply.sessionId;
    turns.push({ say: message, reply: summarize(reply), latencyMs });
    last = reply;
    return reply;
  };
  const record = (j: TurnJudgement, label: string) => {
    turns[turns.length - 1]!.judgement = j;
    for (const p of j.problems) problems.push(`${label}: ${p}`);
    if (j.wrong) wrong = true;
  };

  try {
    for (const [i, turn] of c.turns.entries()) {
      let message = turn.say;
      if (turn.pick) {
        const option = last?.options?.find((o) => o.id === turn.pick);
        if (!option) {
          problems.push(`turn ${i + 1}: cannot pick ${turn.pick}: not offered (${(last?.options ?? []).map((o) => o.id).join(', ') || 'no options'})`);
          break;
        }
        message = option.value;
      }
      const reply = await send(message!);
      if (turn.expect) record(judgeTurn(client.kb, turn.expect, reply, message!), `turn ${i + 1}`);
    }
    if (c.checklist && last) {
      let reply: ChatReply = last;
      for (let step = 0; step < MAX_CHECKLIST_STEPS && reply.status === 'checklist'; step++) {
        const state = reply.checklist as { complete?: boolean; question?: { id: string } } | undefined;
        if (!state || state.complete || !state.question) break;
        const optionId = c.checklist.answers[state.question.id];
        if (!optionId) {
          problems.push(`checklist: asked "${state.question.id}", which the case does not answer`);
          break;
        }
        const option = reply.options?.find((o) => o.id === optionId);
        reply = await send(option?.value ?? optionId);
      }
      record(judgeChecklist(client.kb, c.checklist, reply, c.turns.map((t) => t.say ?? '').join(' ')), 'checklist');
    }
    // emergencies, unsafe, out-of-scope and uncovered requests must never get a knowledge-base answer, at any turn
    if (!IN_SCOPE_KINDS.includes(c.kind) && c.kind !== 'handoff') {
      // only the turns that must not be answered (a service question before an emergency may be); an uncovered
      // question may be asked back about ("which service?") or said to be unknown, but not answered
      const mustNot = (i: number) => {
        const e = c.turns[i]?.expect;
        return !e || c.kind === 'uncovered' || [e.status].flat().every((st) => st === 'refused' || st === 'out_of_scope');
      };
      const kbAnswer = turns.find((t, i) => i < c.turns.length && mustNot(i) && (t.reply.status === 'answered' || t.reply.status === 'checklist') && t.reply.citations.length);
      if (kbAnswer && !problems.some((p) => p.includes('answered from the knowledge base'))) {
        problems.push(`answered from the knowledge base (${kbAnswer.reply.citations.join(', ')}) what must not be`);
        wrong = true;
      }
    }
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
    problems.push(`error: ${error}`);
  }

  const inScope = IN_SCOPE_KINDS.includes(c.kind);
  const pass = problems.length === 0;
  const handoffGiven = turns.some((t) => t.reply.status === 'handoff');
  const handoffExpected = c.kind === 'handoff' || c.turns.some((t) => t.expect && [t.expect.status].flat().includes('handoff'));
  return {
    id: c.id, kind: c.kind, theme: c.theme, split: c.split, reason: c.reason, inScope,
    pass, resolved: inScope && pass && !handoffGiven, wrong,
    clarified: turns.some((t) => t.reply.status === 'clarify'),
    handoffExpected, handoffGiven, problems, expected: describeExpected(c), turns,
    ...(error ? { error } : {}),
  };
}

/** The items a case's first question should retrieve (any of them counts as a hit), or none for cases without one. */
export function retrievalTargets(c: LoadedCase): string[] {
  const first = c.turns[0]?.expect;
  if (c.checklist) return [c.checklist.item];
  if (first?.item) return [first.item];
  if (first?.options?.length) return first.options;
  return [];
}
