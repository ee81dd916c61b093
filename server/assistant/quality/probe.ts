/**
 * Plays the probe cases (probe-cases.ts) through the real assistant over knowledge-base/ and prints resolution
 * (right status and right item) and wrong answers (an answer about another item, or an answer where none was due).
 *
 *   npx tsx server/assistant/quality/probe.ts [--verbose] [--only TEXT]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../../config/config.ts';
import { createGuides } from '../../guides/index.ts';
import { loadKnowledgeBase } from '../../kb/index.ts';
import { buildRetriever } from '../../retrieval/index.ts';
import { createAssistant, createMemorySessionStore } from '../index.ts';
import type { ChatReply } from '../reply.ts';
import type { HandoffPort } from '../types.ts';
import { PROBE_CASES, type ProbeCase } from './probe-cases.ts';

export interface ProbeOutcome {
  probe: ProbeCase;
  reply: ChatReply;
  resolved: boolean;
  wrong: boolean;
  why: string;
}

export function judge(probe: ProbeCase, reply: ChatReply): ProbeOutcome {
  const statuses = Array.isArray(probe.status) ? probe.status : [probe.status];
  const problems: string[] = [];
  if (!statuses.includes(reply.status)) problems.push(`status ${reply.status}`);
  const offered = reply.options?.map((o) => o.id) ?? [];
  if (probe.item) {
    const ok = reply.status === 'clarify' ? offered.includes(probe.item) : reply.item?.id === probe.item;
    if (!ok) problems.push(`item ${reply.item?.id ?? '-'}`);
  }
  for (const id of probe.options ?? []) if (!offered.includes(id)) problems.push(`no option ${id}`);
  if (probe.intent && !probe.intent.test(reply.intent ?? "")) problems.push(`intent ${reply.intent}`);
  if (probe.lang && reply.lang !== probe.lang) problems.push(`lang ${reply.lang}`);
  for (const s of probe.contains ?? []) if (!reply.answer.includes(s)) problems.push(`missing "${s}"`);
  const gaveAnswer = (reply.status === 'answered' || reply.status === 'checklist') && !!reply.item;
  const answerDue = statuses.includes('answered') || statuses.includes('checklist');
  const wrong = gaveAnswer && (probe.item ? reply.item!.id !== probe.item : !answerDue && !(probe.options ?? []).includes(reply.item!.id));
  return { probe, reply, resolved: problems.length === 0, wrong, why: problems.join('; ') };
}

export async function runProbe(cases: readonly ProbeCase[] = PROBE_CASES): Promise<ProbeOutcome[]> {
  const loaded = await loadKnowledgeBase(path.join(PROJECT_ROOT, 'knowledge-base'));
  if (!loaded.kb) throw new Error(`knowledge base does not load: ${loaded.issues.filter((i) => i.severity === 'error').length} errors`);
  const kb = loaded.kb;
  const retriever = await buildRetriever(kb, { cacheDir: path.join(os.tmpdir(), 'daoban-probe-index') });
  const handoff: HandoffPort = { requestHandoff: async () => ({ state: 'queued', position: 1, waitMinutes: { min: 1, max: 3 } }) };
  const assistant = createAssistant({ kb, retriever, guides: createGuides(kb), handoff, sessions: createMemorySessionStore() });
  const out: ProbeOutcome[] = [];
  let n = 0;
  for (const probe of cases) {
    const sessionId = `probe-${++n}`;
    let reply: ChatReply | undefined;
    for (const message of probe.turns) reply = await assistant.reply({ sessionId, message });
    out.push(judge(probe, reply!));
  }
  return out;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { verbose: { type: 'boolean', default: false }, only: { type: 'string' }, json: { type: 'string' } } });
  const only = values.only;
  const cases = only !== undefined ? PROBE_CASES.filter((p) => p.turns.some((t) => t.includes(only))) : PROBE_CASES;
  const outcomes = await runProbe(cases);
  for (const o of outcomes) {
    if (o.resolved && !values.verbose) continue;
    const r = o.reply;
    const mark = o.wrong ? 'WRONG' : o.resolved ? 'ok   ' : 'miss ';
    console.log(`${mark} ${o.probe.turns.join(' ⟶ ')}  [want ${[o.probe.status].flat().join('|')} ${o.probe.item ?? ''}] got ${r.status} ${r.intent} ${r.item?.id ?? ''} ${r.options ? `{${r.options.map((x) => x.id).join(',')}}` : ''} ${o.why}`);
    if (values.verbose) console.log(`      ${r.answer.replace(/\n/g, '\n      ').slice(0, 600)}`);
  }
  const resolved = outcomes.filter((o) => o.resolved).length;
  const wrong = outcomes.filter((o) => o.wrong).length;
  console.log(`\nprobe: ${outcomes.length} cases, resolved ${resolved} (${((100 * resolved) / outcomes.length).toFixed(1)}%), wrong ${wrong}`);
  if (values.json !== undefined) fs.writeFileSync(values.json, JSON.stringify(outcomes.map((o) => ({ turns: o.probe.turns, resolved: o.resolved, wrong: o.wrong, why: o.why, status: o.reply.status, item: o.reply.item?.id })), null, 1));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename ?? '')) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
