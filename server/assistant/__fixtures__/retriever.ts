/**
 * A small deterministic Retriever for the assistant's unit tests (the real one lives in server/retrieval):
 * character-bigram overlap between the query and each document's text, titles and names weighted higher.
 */
import type { KnowledgeBase } from '../../kb/knowledge-base.ts';
import type { AnalyzedQuery, HitKind, Retriever, SearchHit, SearchOptions } from '../../retrieval/types.ts';

interface Doc {
  docId: string;
  kind: HitKind;
  refId: string;
  itemId?: string;
  title: string;
  strong: Set<string>;
  weak: Set<string>;
}

function grams(text: string): Set<string> {
  const t = text.toLowerCase().replace(/[\s\p{P}]+/gu, ' ');
  const out = new Set<string>();
  for (const word of t.split(' ').filter(Boolean)) {
    if (/^[\x00-\x7f]+$/.test(word)) {
      if (word.length > 2) out.add(word);
      continue;
    }
    const chars = Array.from(word);
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  }
  return out;
}

export function createFixtureRetriever(kb: KnowledgeBase): Retriever {
  const docs: Doc[] = [];
  for (const item of kb.items) {
    docs.push({
      docId: `item:${item.id}`, kind: 'item', refId: item.id, itemId: item.id, title: item.title,
      strong: grams([item.title, item.titleEn, ...item.aliases, ...item.aliasesEn, ...item.keywords].join(' ')),
      weak: grams(item.summary),
    });
    item.faqs.forEach((f, i) => docs.push({ docId: `item-faq:${item.id}#${i + 1}`, kind: 'item-faq', refId: item.id, itemId: item.id, title: f.q, strong: grams(`${f.q} ${f.qEn ?? ''}`), weak: grams(f.a) }));
  }
  for (const f of kb.faqs) {
    docs.push({ docId: `faq:${f.id}`, kind: 'faq', refId: f.id, ...(f.items.length === 1 ? { itemId: f.items[0]! } : {}), title: f.question, strong: grams([f.question, f.questionEn ?? '', ...f.alternates].join(' ')), weak: grams(f.answer) });
  }
  for (const p of kb.policies) docs.push({ docId: `policy:${p.id}`, kind: 'policy', refId: p.id, title: p.title, strong: grams(p.title), weak: grams(p.summary) });

  const analyze = (query: string): AnalyzedQuery => {
    const normalized = query.toLowerCase().replace(/\s+/g, ' ').trim();
    return { original: query, normalized, tokens: [...grams(normalized)], expansions: [] };
  };
  return {
    kbHash: kb.hash,
    analyze,
    async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
      const q = grams(query);
      const scored = docs
        .filter((d) => !options.kinds || options.kinds.includes(d.kind))
        .map((d) => {
          const matched = [...q].filter((g) => d.strong.has(g) || d.weak.has(g));
          const score = [...q].reduce((s, g) => s + (d.strong.has(g) ? 2 : d.weak.has(g) ? 0.5 : 0), 0);
          return { d, score, matched };
        })
        .filter((x) => x.score > 0)
        .sort((a, b) => b.score - a.score || a.d.docId.localeCompare(b.d.docId))
        .slice(0, options.k ?? 10);
      return scored.map(({ d, score, matched }, i) => ({
        docId: d.docId, kind: d.kind, refId: d.refId, ...(d.itemId ? { itemId: d.itemId } : {}), title: d.title, score,
        lexical: { rank: i + 1, score }, matchedTerms: matched,
      }));
    },
  };
}
