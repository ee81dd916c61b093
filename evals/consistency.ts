/**
 * Cases against the knowledge base: a case may only expect what the KB says. Expected items, FAQs and clarify
 * choices exist; every expected fact occurs in the fields of the item (or FAQ) the turn expects; a checklist
 * case answers every question its materials depend on, and its expected materials are exactly those the item
 * requires for those answers.
 */
import type { KnowledgeBase } from '../server/kb/knowledge-base.ts';
import { conditionHolds, conditionQuestions } from '../server/guides/index.ts';
import { IN_SCOPE_KINDS, type EvalCase } from './schema.ts';
import { normalizeForMatch, sourceText } from './text.ts';

export function checkCases(kb: KnowledgeBase, cases: ReadonlyArray<EvalCase & { file?: string }>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const texts = new Map<string, string>();
  const textOf = (key: string, source: unknown): string => {
    let t = texts.get(key);
    if (t === undefined) texts.set(key, (t = normalizeForMatch(sourceText(source))));
    return t;
  };

  for (const c of cases) {
    const at = `${c.file ? `${c.file}: ` : ''}${c.id}`;
    const say = (msg: string) => problems.push(`${at}: ${msg}`);
    const prior = seen.get(c.id);
    if (prior !== undefined) say(`duplicate id (also in ${prior})`);
    seen.set(c.id, c.file ?? '');
    if (c.theme !== 'general' && !kb.themesById.has(c.theme)) say(`unknown theme "${c.theme}"`);
    const inScope = IN_SCOPE_KINDS.includes(c.kind);

    c.turns.forEach((turn, i) => {
      const e = turn.expect;
      if (turn.pick && !kb.itemsById.has(turn.pick)) say(`turn ${i + 1}: picks unknown item "${turn.pick}"`);
      if (!e) return;
      const item = e.item ? kb.itemsById.get(e.item) : undefined;
      const faq = e.faq ? kb.faqsById.get(e.faq) : undefined;
      if (e.item && !item) say(`turn ${i + 1}: unknown item "${e.item}"`);
      if (e.faq && !faq) say(`turn ${i + 1}: unknown FAQ "${e.faq}"`);
      if (item && item.theme !== c.theme && c.theme !== 'general') say(`turn ${i + 1}: item ${item.id} is in theme ${item.theme}, the case says ${c.theme}`);
      for (const o of e.options ?? []) if (!kb.itemsById.has(o)) say(`turn ${i + 1}: unknown clarify option "${o}"`);
      const answered = e.status === 'answered' || (Array.isArray(e.status) && e.status.includes('answered'));
      if (inScope && answered && !e.item && !e.faq) say(`turn ${i + 1}: an in-scope answer must name the item or FAQ it comes from`);
      if (e.facts.length && !item && !faq) say(`turn ${i + 1}: facts need an item or FAQ to come from`);
      const sources = [item ? textOf(`item:${item.id}`, item) : '', faq ? textOf(`faq:${faq.id}`, faq) : ''];
      for (const fact of e.facts) {
        for (const alt of Array.isArray(fact) ? fact : [fact]) {
          if (!sources.some((s) => s.includes(normalizeForMatch(alt)))) say(`turn ${i + 1}: fact "${alt}" does not occur in ${[e.item, e.faq].filter(Boolean).join(' / ')}`);
        }
      }
    });

    if (c.checklist) {
      const spec = c.checklist;
      const item = kb.itemsById.get(spec.item);
      if (!item) {
        say(`checklist: unknown item "${spec.item}"`);
        continue;
      }
      for (const [q, o] of Object.entries(spec.answers)) {
        const question = item.questions.find((x) => x.id === q);
        if (!question) say(`checklist: ${item.id} has no question "${q}"`);
        else if (!question.options.some((x) => x.id === o)) say(`checklist: question "${q}" of ${item.id} has no option "${o}"`);
      }
      const needed = new Set(item.materials.flatMap((m) => (m.when ? conditionQuestions(m.when) : [])));
      for (const q of needed) if (!(q in spec.answers)) say(`checklist: answers must include "${q}" (materials of ${item.id} depend on it)`);
      const expected = item.materials.filter((m) => !m.when || conditionHolds(m.when, spec.answers)).map((m) => m.id).sort();
      const given = [...spec.materials].sort();
      for (const id of given) if (!item.materials.some((m) => m.id === id)) say(`checklist: ${item.id} has no material "${id}"`);
      if (expected.join(',') !== given.join(',')) say(`checklist: for these answers ${item.id} requires [${expected.join(', ')}], the case expects [${given.join(', ')}]`);
    }
  }
  return problems;
}
