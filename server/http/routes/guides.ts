/**
 * Guides over HTTP:
 *   GET  /api/guides/:itemId?lang=zh|en        the item's questions and options
 *   POST /api/guides/:itemId/evaluate          { answers, lang?, save? } → next question and checklist so far
 *   GET  /api/checklists/:id                   a saved checklist (JSON snapshot)
 *   GET  /checklists/:id?lang=zh|en            the same, as a print page
 * The knowledge base is read through a getter on every request, so a reload takes effect at once.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { DaobanError } from '../../errors/catalogue.ts';
import type { KnowledgeBase } from '../../kb/knowledge-base.ts';
import {
  createGuides, LANGS, renderChecklistPage, type Answers, type ChecklistStore, type Guides, type Lang,
} from '../../guides/index.ts';

export interface GuideRoutesOptions {
  kb: () => KnowledgeBase;
  /** The Guides of a knowledge base, when the app shares one cache across capabilities (default: the routes' own). */
  guides?: (kb: KnowledgeBase) => Guides;
  store: ChecklistStore;
  /** Base of share links, e.g. config.publicUrl (a getter when it is known only after listening); without it share links are root-relative. */
  publicUrl?: string | (() => string);
}

function parseLang(value: unknown, field: string): Lang | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (LANGS as readonly string[]).includes(value)) return value as Lang;
  throw DaobanError.create('INVALID_FIELD', field, `must be one of: ${LANGS.join(', ')}`);
}

function parseEvaluateBody(body: unknown): { answers: Answers; lang?: Lang; save: boolean } {
  if (body === undefined || body === null) return { answers: {}, save: false };
  if (typeof body !== 'object' || Array.isArray(body)) throw DaobanError.create('INVALID_BODY', 'expected a JSON object { answers, lang?, save? }');
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !['answers', 'lang', 'save'].includes(k));
  if (unknown.length) throw DaobanError.create('INVALID_FIELD', unknown[0]!, 'is not a known field; allowed: answers, lang, save');
  const answers = b.answers ?? {};
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
    throw DaobanError.create('INVALID_FIELD', 'answers', 'must be an object mapping question ids to option ids');
  }
  if (b.save !== undefined && typeof b.save !== 'boolean') throw DaobanError.create('INVALID_FIELD', 'save', 'must be true or false');
  const lang = parseLang(b.lang, 'lang');
  return { answers: answers as Answers, ...(lang ? { lang } : {}), save: b.save === true };
}

function notFoundPage(reply: FastifyReply, id: string): FastifyReply {
  const e = DaobanError.create('NOT_FOUND', `Checklist "${id}"`);
  return reply
    .status(e.statusCode)
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>清单不存在</title></head><body>` +
        `<h1>找不到这份清单</h1><p>链接可能有误，请检查后重试。 This checklist link is not valid.</p>` +
        `<p><small>${e.code}</small></p></body></html>`,
    );
}

export async function guideRoutes(app: FastifyInstance, opts: GuideRoutesOptions): Promise<void> {
  // One Guides per loaded knowledge base; a reload yields a new KnowledgeBase object and so a fresh cache.
  const perKb = new WeakMap<KnowledgeBase, Guides>();
  const guides = (): Guides => {
    const kb = opts.kb();
    if (opts.guides) return opts.guides(kb);
    let g = perKb.get(kb);
    if (!g) {
      g = createGuides(kb);
      perKb.set(kb, g);
    }
    return g;
  };
  const publicUrl = opts.publicUrl;
  const base = (): string => (typeof publicUrl === 'function' ? publicUrl() : publicUrl ?? '').replace(/\/$/, '');

  app.get<{ Params: { itemId: string }; Querystring: { lang?: string } }>('/api/guides/:itemId', async (req) => {
    const lang = parseLang(req.query.lang, 'lang') ?? 'zh';
    return guides().questions(req.params.itemId, lang);
  });

  app.post<{ Params: { itemId: string }; Querystring: { lang?: string } }>('/api/guides/:itemId/evaluate', async (req) => {
    const body = parseEvaluateBody(req.body);
    const lang = body.lang ?? parseLang(req.query.lang, 'lang') ?? 'zh';
    const g = guides();
    const result = g.evaluate(req.params.itemId, body.answers, lang);
    if (!body.save || !result.complete) return result;
    const saved = await opts.store.save(g.snapshot(req.params.itemId, body.answers, lang));
    return { ...result, checklistId: saved.id, shareUrl: `${base()}/checklists/${saved.id}` };
  });

  app.get<{ Params: { id: string } }>('/api/checklists/:id', async (req) => {
    const snapshot = await opts.store.get(req.params.id);
    if (!snapshot) throw DaobanError.create('NOT_FOUND', `Checklist "${req.params.id}"`);
    return snapshot;
  });

  app.get<{ Params: { id: string }; Querystring: { lang?: string } }>('/checklists/:id', async (req, reply) => {
    const lang = parseLang(req.query.lang, 'lang');
    const snapshot = await opts.store.get(req.params.id);
    if (!snapshot) return notFoundPage(reply, req.params.id);
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
      .header('referrer-policy', 'no-referrer')
      .header('x-robots-tag', 'noindex')
      .header('cache-control', 'private, max-age=3600')
      .send(renderChecklistPage(snapshot, lang ?? snapshot.lang, { shareUrl: `${base()}/checklists/${snapshot.id}` }));
  });
}
