/**
 * Agent assist built on the retriever: for the citizen's last question, the top knowledge-base passages as
 * ready-to-send replies, each with the source it rests on (navigators edit before sending).
 */
import type { Citation } from '../assistant/reply.ts';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type { SearchHit } from '../retrieval/types.ts';
import type { SuggestFn } from './types.ts';

const FAQ_BASE_URL = 'https://banshi.beijing.gov.cn/faq';
const MAX_CHARS = 400;

const clip = (s: string) => (s.length > MAX_CHARS ? `${s.slice(0, MAX_CHARS - 1)}…` : s);

function fromHit(kb: KnowledgeBase, hit: SearchHit): { text: string; citation: Citation } | undefined {
  if (hit.kind === 'item' || hit.kind === 'item-faq') {
    const item = kb.itemsById.get(hit.itemId ?? hit.refId);
    if (!item) return undefined;
    const citation: Citation = { id: item.id, kind: 'item', title: item.title, url: item.sourceUrl, updatedAt: item.updatedAt };
    if (hit.kind === 'item-faq') {
      const index = Number(hit.docId.split('#')[1]);
      const faq = Number.isInteger(index) ? item.faqs[index] ?? item.faqs[index - 1] : undefined;
      if (faq) return { text: clip(faq.a), citation };
    }
    const materials = item.materials.filter((m) => !m.when).map((m) => `${m.name}（${m.form}）`).join('、');
    const where = item.online.jingtong ? `可在${item.online.jingtong}办理。` : '';
    return { text: clip(`${item.title}：${item.summary}${materials ? `所需材料：${materials}。` : ''}${where}`), citation };
  }
  if (hit.kind === 'faq') {
    const faq = kb.faqsById.get(hit.refId);
    if (!faq) return undefined;
    const item = faq.items.map((id) => kb.itemsById.get(id)).find(Boolean);
    const url = item ? `${item.sourceUrl}#faq-${faq.id}` : `${FAQ_BASE_URL}/${faq.id}`;
    return { text: clip(faq.answer), citation: { id: faq.id, kind: 'faq', title: faq.question, url, updatedAt: faq.updatedAt } };
  }
  const policy = kb.policiesById.get(hit.refId);
  if (!policy) return undefined;
  return { text: clip(policy.summary), citation: { id: policy.id, kind: 'policy', title: policy.title, url: policy.url, updatedAt: policy.effectiveAt } };
}

export function createKbSuggest(kb: () => KnowledgeBase, search: (question: string) => Promise<SearchHit[]>, limit = 3): SuggestFn {
  return async (question) => {
    const current = kb();
    const seen = new Set<string>();
    const out: Array<{ text: string; citation: Citation }> = [];
    for (const hit of await search(question)) {
      const s = fromHit(current, hit);
      if (!s || seen.has(s.text)) continue;
      seen.add(s.text);
      out.push(s);
      if (out.length >= limit) break;
    }
    return out;
  };
}
