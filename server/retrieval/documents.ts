/**
 * The knowledge base as search documents: one per service item, item FAQ, general FAQ and policy.
 * Each document has named fields so the lexical ranking can weigh a title above a body.
 */
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type { HitKind } from './types.ts';

/**
 * The fields a document is indexed by. English prose (summaries, conditions, material names, answers) has a field
 * of its own: in the Chinese ones it would lengthen them, and BM25F's length normalisation would then rank a
 * service lower for Chinese questions for having been translated.
 */
export const FIELDS = ['title', 'aliases', 'keywords', 'summary', 'body', 'context', 'english'] as const;
export type FieldName = (typeof FIELDS)[number];

export interface SearchDocument {
  docId: string;
  kind: HitKind;
  refId: string;
  itemId?: string;
  title: string;
  fields: Record<FieldName, string>;
}

/** The document's metadata without its text (what the index keeps after building). */
export type DocumentMeta = Omit<SearchDocument, 'fields'>;

const join = (...parts: Array<string | ReadonlyArray<string | undefined> | undefined>): string =>
  parts.flat().filter((p): p is string => Boolean(p)).join('\n');

/** The document kinds in the order of their codes. */
export const HIT_KINDS: readonly HitKind[] = ['item', 'item-faq', 'faq', 'policy'];
export const KIND_CODES = Object.fromEntries(HIT_KINDS.map((kind, code) => [kind, code])) as Record<HitKind, number>;

export function buildDocuments(kb: KnowledgeBase): SearchDocument[] {
  return [...eachDocument(kb)];
}

/** The documents one at a time (a child-process build streams them out without holding them all). */
export function* eachDocument(kb: KnowledgeBase): Generator<SearchDocument> {
  for (const item of kb.items) {
    const dept = kb.departmentsById.get(item.department);
    const theme = kb.themesById.get(item.theme);
    yield {
      docId: `item:${item.id}`,
      kind: 'item',
      refId: item.id,
      itemId: item.id,
      title: item.title,
      fields: {
        title: join(item.title, item.titleEn),
        aliases: join(item.aliases, item.aliasesEn),
        keywords: join(item.keywords),
        summary: item.summary,
        body: join(item.conditions, item.materials.map((m) => m.name)),
        context: join(dept?.name, dept?.nameEn, theme?.name, theme?.nameEn, item.district),
        english: join(item.summaryEn, item.conditionsEn, item.materials.map((m) => m.nameEn)),
      },
    };
    for (const [i, faq] of item.faqs.entries()) {
      yield {
        docId: `item-faq:${item.id}#${i + 1}`,
        kind: 'item-faq',
        refId: `${item.id}#${i + 1}`,
        itemId: item.id,
        title: faq.q,
        fields: {
          title: join(faq.q, faq.qEn),
          aliases: '',
          keywords: '',
          summary: faq.a,
          body: '',
          context: join(item.title, item.titleEn),
          english: join(faq.aEn),
        },
      };
    }
  }
  for (const faq of kb.faqs) {
    const only = faq.items.length === 1 ? faq.items[0] : undefined;
    yield {
      docId: `faq:${faq.id}`,
      kind: 'faq',
      refId: faq.id,
      ...(only ? { itemId: only } : {}),
      title: faq.question,
      fields: {
        title: join(faq.question, faq.questionEn),
        aliases: join(faq.alternates),
        keywords: '',
        summary: '',
        body: faq.answer,
        context: join(kb.themesById.get(faq.theme)?.name),
        english: join(faq.answerEn),
      },
    };
  }
  for (const policy of kb.policies) {
    yield {
      docId: `policy:${policy.id}`,
      kind: 'policy',
      refId: policy.id,
      title: policy.title,
      fields: {
        title: join(policy.title, policy.titleEn),
        aliases: '',
        keywords: join(policy.docNumber),
        summary: policy.summary,
        body: join(policy.clauses.map((c) => `${c.no} ${c.text}`)),
        context: join(policy.issuer, policy.themes.map((t) => kb.themesById.get(t)?.name)),
        english: '',
      },
    };
  }
}

/** The text a vector embedder sees: the fields in order of importance, as plain lines. */
export function vectorText(doc: SearchDocument): string {
  const f = doc.fields;
  return join(f.title, f.aliases, f.keywords, f.summary, f.body, f.context, f.english);
}

export type HitKindCount = Record<HitKind, number>;

/**
 * What ranking needs of each document, in document order: its kind (KIND_CODES) and what it is about (the
 * documents of one item share a number ≥ 0; any other document has a negative number of its own). Typed
 * arrays, so a search thread gets them for a few bytes per document instead of the documents themselves.
 */
export interface DocumentFacts {
  kinds: Uint8Array;
  subjects: Int32Array;
}

export function documentFacts(documents: readonly DocumentMeta[]): DocumentFacts {
  const items = new Map<string, number>();
  const subjects = new Int32Array(documents.length);
  documents.forEach((d, i) => {
    if (!d.itemId) subjects[i] = -1 - i;
    else {
      let n = items.get(d.itemId);
      if (n === undefined) items.set(d.itemId, (n = items.size));
      subjects[i] = n;
    }
  });
  return { kinds: Uint8Array.from(documents, (d) => KIND_CODES[d.kind]), subjects };
}
