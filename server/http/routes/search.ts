/**
 * GET /api/search?q=&lang=&k= — scenario search, grouped the way the portal shows it:
 *   事项办理 (service items, with the entry links), 常见问题 (FAQs), 政策法规 (policies), 办事地点 (offices of the items found).
 */
import type { FastifyInstance } from 'fastify';
import { DaobanError } from '../../errors/catalogue.ts';
import type { KnowledgeBase } from '../../kb/knowledge-base.ts';
import type { Retriever } from '../../retrieval/types.ts';
import { parseLang } from './chat-input.ts';
import { faqCitation } from '../../assistant/index.ts';

export interface SearchRoutesOptions {
  kb: () => KnowledgeBase;
  retriever: () => Retriever;
}

const GROUP_NAMES = {
  items: { zh: '事项办理', en: 'Services' },
  faqs: { zh: '常见问题', en: 'FAQs' },
  policies: { zh: '政策法规', en: 'Policies' },
  locations: { zh: '办事地点', en: 'Offices' },
} as const;

const ENTRY = {
  type: 'object',
  additionalProperties: true,
  properties: { id: { type: 'string' }, title: { type: 'string' }, url: { type: 'string' }, score: { type: 'number' } },
} as const;
const GROUP = (name: string) => ({ type: 'object', properties: { name: { type: 'string', description: name }, results: { type: 'array', items: ENTRY } } });

export async function searchRoutes(app: FastifyInstance, opts: SearchRoutesOptions): Promise<void> {
  app.get('/api/search', {
    schema: {
      summary: 'Scenario search grouped as the portal shows it',
      tags: ['search'],
      querystring: {
        type: 'object',
        properties: { q: { type: 'string', maxLength: 200 }, lang: { type: 'string', enum: ['zh', 'en'] }, k: { type: 'string' } },
        required: ['q'],
      },
      response: {
        200: {
          type: 'object',
          properties: {
            query: { type: 'string' },
            groups: { type: 'object', properties: { items: GROUP('事项办理'), faqs: GROUP('常见问题'), policies: GROUP('政策法规'), locations: GROUP('办事地点') } },
          },
        },
      },
    },
    validatorCompiler: () => () => true,
  }, async (request) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const q = query.q;
    if (q === undefined) throw DaobanError.create('MISSING_FIELD', 'q');
    if (typeof q !== 'string' || !q.trim()) throw DaobanError.create('INVALID_FIELD', 'q', 'must not be empty');
    if (q.length > 200) throw DaobanError.create('INVALID_FIELD', 'q', 'must be at most 200 characters');
    const lang = parseLang(query.lang) ?? 'zh';
    const k = query.k === undefined ? 20 : Number(query.k);
    if (!Number.isInteger(k) || k < 1 || k > 50) throw DaobanError.create('INVALID_FIELD', 'k', 'must be an integer from 1 to 50');
    const kb = opts.kb();
    const hits = await opts.retriever().search(q, { k });
    const en = lang === 'en';
    const items = new Map<string, { id: string; title: string; url: string; onlineUrl?: string; online: string; department?: string; score: number }>();
    const faqs: Array<{ id: string; title: string; answer: string; itemId?: string; url: string; score: number }> = [];
    const policies: Array<{ id: string; title: string; docNumber?: string; url: string; effectiveAt: string; status: string; score: number }> = [];
    for (const hit of hits) {
      if (hit.kind === 'item') {
        const item = kb.itemsById.get(hit.refId);
        if (!item || items.has(item.id)) continue;
        const dept = kb.departmentsById.get(item.department);
        items.set(item.id, {
          id: item.id, title: en && item.titleEn ? item.titleEn : item.title, url: item.sourceUrl,
          ...(item.online.url ? { onlineUrl: item.online.url } : {}), online: item.online.level,
          ...(dept ? { department: en ? dept.nameEn : dept.name } : {}), score: hit.score,
        });
      } else if (hit.kind === 'faq') {
        const faq = kb.faqsById.get(hit.refId);
        if (!faq) continue;
        const item = faq.items[0] ? kb.itemsById.get(faq.items[0]) : undefined;
        faqs.push({
          id: faq.id, title: en && faq.questionEn ? faq.questionEn : faq.question, answer: en && faq.answerEn ? faq.answerEn : faq.answer,
          ...(item ? { itemId: item.id } : {}), url: faqCitation(faq, kb, lang).url, score: hit.score,
        });
      } else if (hit.kind === 'item-faq' && hit.itemId) {
        const item = kb.itemsById.get(hit.itemId);
        const n = Number(hit.docId.split('#')[1]);
        const f = item?.faqs[Number.isInteger(n) ? n : -1];
        if (!item || !f) continue;
        faqs.push({ id: hit.docId, title: en && f.qEn ? f.qEn : f.q, answer: en && f.aEn ? f.aEn : f.a, itemId: item.id, url: item.sourceUrl, score: hit.score });
      } else if (hit.kind === 'policy') {
        const p = kb.policiesById.get(hit.refId);
        if (!p) continue;
        policies.push({ id: p.id, title: en && p.titleEn ? p.titleEn : p.title, ...(p.docNumber ? { docNumber: p.docNumber } : {}), url: p.url, effectiveAt: p.effectiveAt, status: p.status, score: hit.score });
      }
    }
    const seen = new Set<string>();
    const locations: Array<Record<string, unknown>> = [];
    for (const { id } of items.values()) {
      for (const l of kb.itemsById.get(id)?.locations ?? []) {
        const key = `${l.name}|${l.address}`;
        if (seen.has(key)) continue;
        seen.add(key);
        locations.push({ id: `${id}:${locations.length}`, title: l.name, address: l.address, hours: l.hours, ...(l.phone ? { phone: l.phone } : {}), ...(l.district ? { district: l.district } : {}), itemId: id });
      }
    }
    const group = (key: keyof typeof GROUP_NAMES, results: unknown[]) => ({ name: GROUP_NAMES[key][lang], results });
    return {
      query: q,
      groups: {
        items: group('items', [...items.values()]),
        faqs: group('faqs', faqs),
        policies: group('policies', policies),
        locations: group('locations', locations.slice(0, 10)),
      },
    };
  });
}
