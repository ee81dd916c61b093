/**
 * A knowledge-base check for the English texts: every figure an English field states (days, ages, amounts,
 * counts, phone numbers) must be in the Chinese field it translates. The grounding check cannot catch a wrong
 * figure there, since an English answer cites the item whose English text it is; this check does, when the
 * knowledge base is loaded, with the file and field of the slip.
 */
import type { KbIssue, KnowledgeBase } from '../kb/knowledge-base.ts';
import type { ServiceItem } from '../kb/schema.ts';
import { extractFigures } from './grounding.ts';

/** An English text and the Chinese one it translates, with the English field's path. */
interface Pair {
  field: string;
  zh: string | readonly string[] | undefined;
  en: string | readonly string[] | undefined;
}

function itemPairs(item: ServiceItem): Pair[] {
  return [
    { field: 'summaryEn', zh: item.summary, en: item.summaryEn },
    { field: 'conditionsEn', zh: item.conditions, en: item.conditionsEn },
    ...item.materials.map((m, i) => ({ field: `materials.${i}.notesEn`, zh: m.notes, en: m.notesEn })),
    ...item.process.map((p, i) => ({ field: `process.${i}.detailEn`, zh: p.detail, en: p.detailEn })),
    { field: 'timeLimit.noteEn', zh: item.timeLimit.note, en: item.timeLimit.noteEn },
    { field: 'fees.noteEn', zh: item.fees.note, en: item.fees.noteEn },
    { field: 'online.noteEn', zh: item.online.note, en: item.online.noteEn },
    ...item.faqs.map((f, i) => ({ field: `faqs.${i}.aEn`, zh: f.a, en: f.aEn })),
    ...item.fees.items.flatMap((f, i) => [
      { field: `fees.items.${i}.nameEn`, zh: f.name, en: f.nameEn },
      { field: `fees.items.${i}.basisEn`, zh: f.basis, en: f.basisEn },
    ]),
    ...item.locations.flatMap((l, i) => [
      { field: `locations.${i}.nameEn`, zh: l.name, en: l.nameEn },
      { field: `locations.${i}.addressEn`, zh: l.address, en: l.addressEn },
      { field: `locations.${i}.hoursEn`, zh: l.hours, en: l.hoursEn },
      { field: `locations.${i}.transitEn`, zh: l.transit, en: l.transitEn },
      { field: `locations.${i}.noteEn`, zh: l.note, en: l.noteEn },
    ]),
  ];
}

const figuresOf = (text: string | readonly string[]) => new Set((typeof text === 'string' ? [text] : text).flatMap(extractFigures).map(Number));

/** The figures of `pair`'s English text that its Chinese text does not state. */
function unsourced(pair: Pair): number[] {
  if (!pair.en || !pair.en.length) return [];
  const zh = figuresOf(pair.zh ?? []);
  return [...figuresOf(pair.en)].filter((f) => !zh.has(f));
}

export function validateTranslationFigures(kb: KnowledgeBase): KbIssue[] {
  const issues: KbIssue[] = [];
  const check = (file: string, pairs: readonly Pair[]) => {
    for (const pair of pairs) {
      const extra = unsourced(pair);
      if (extra.length) {
        issues.push({ file, field: pair.field, severity: 'error', message: `states ${extra.join(', ')}, which the Chinese text it translates does not` });
      }
    }
  };
  for (const item of kb.items) check(kb.sourceFiles.get(item.id) ?? `items/${item.theme}/${item.id}.yaml`, itemPairs(item));
  // an FAQ file is a list: its FAQs' fields are numbered from 0 in the order read
  const inFile = new Map<string, number>();
  for (const faq of kb.faqs) {
    const file = kb.sourceFiles.get(`faq:${faq.id}`) ?? `faqs/${faq.theme}.yaml`;
    const n = inFile.get(file) ?? 0;
    inFile.set(file, n + 1);
    check(file, [{ field: `${n}.answerEn`, zh: faq.answer, en: faq.answerEn }]);
  }
  return issues;
}
