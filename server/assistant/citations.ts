/** Citations and the source texts the grounding check compares answers with. */
import type { Faq, Policy, ServiceItem } from '../kb/schema.ts';
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import { boundedMemo } from './memo.ts';
import type { Citation, Lang } from './reply.ts';

export function itemTitle(item: ServiceItem, lang: Lang): string {
  return lang === 'en' && item.titleEn ? `${item.titleEn} (${item.title})` : item.title;
}

export function itemCitation(item: ServiceItem, lang: Lang): Citation {
  return { id: item.id, kind: 'item', title: itemTitle(item, lang), url: item.sourceUrl, updatedAt: item.updatedAt };
}

export function policyCitation(policy: Policy, lang: Lang): Citation {
  const title = lang === 'en' && policy.titleEn ? `${policy.titleEn} (${policy.title})` : policy.title;
  return { id: policy.id, kind: 'policy', title, url: policy.url, updatedAt: policy.effectiveAt };
}

export const DEFAULT_FAQ_BASE_URL = 'https://banshi.beijing.gov.cn/faq';

/** A general FAQ links to the guide of its first item when it has one, else to the portal's FAQ page for its id. */
export function faqCitation(faq: Faq, kb: KnowledgeBase, lang: Lang, faqBaseUrl: string = DEFAULT_FAQ_BASE_URL): Citation {
  const item = faq.items.map((id) => kb.itemsById.get(id)).find(Boolean);
  const title = lang === 'en' && faq.questionEn ? faq.questionEn : faq.question;
  const url = item ? `${item.sourceUrl}#faq-${faq.id}` : `${faqBaseUrl.replace(/\/$/, '')}/${faq.id}`;
  return { id: faq.id, kind: 'faq', title, url, updatedAt: faq.updatedAt };
}

/** The text a citation stands for: every field, so any figure in the source can be found. */
export const sourceText: (source: ServiceItem | Faq | Policy) => string = boundedMemo(500, (source) => JSON.stringify(source));

export function dedupeCitations(citations: Citation[]): Citation[] {
  const seen = new Set<string>();
  return citations.filter((c) => {
    const key = `${c.kind}:${c.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
