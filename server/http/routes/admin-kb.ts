/**
 * Knowledge-base administration over HTTP (Authorization: Bearer ADMIN_TOKEN):
 *   GET  /api/admin/kb          status of the serving version (hash, loadedAt, counts, warnings, last reload)
 *   POST /api/admin/kb/reload   reload from disk: 200 with the new hash, or 422 with the issues while the
 *                               previous version keeps serving
 * Without an ADMIN_TOKEN the routes are not registered at all (404).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DaobanError, Errors } from '../../errors/catalogue.ts';
import { countBySeverity, type KnowledgeBaseHolder } from '../../kb/index.ts';
import { ERROR_SCHEMA } from '../openapi.ts';

export interface AdminKbRoutesOptions {
  holder: KnowledgeBaseHolder;
  adminToken: string | undefined;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** A preHandler that accepts only `Authorization: Bearer <token>` (compared in constant time). */
export function requireBearer(token: string): (req: FastifyRequest) => Promise<void> {
  const expected = digest(token);
  return async (req) => {
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (!match || !timingSafeEqual(digest(match[1]!.trim()), expected)) throw DaobanError.create('UNAUTHORIZED');
  };
}

export function registerAdminKbRoutes(http: FastifyInstance, { holder, adminToken }: AdminKbRoutesOptions): void {
  if (!adminToken) return;
  const preHandler = requireBearer(adminToken);

  const security = [{ bearerAuth: [] }];
  http.get('/api/admin/kb', {
    preHandler,
    schema: { summary: 'Status of the serving knowledge base (Bearer ADMIN_TOKEN)', tags: ['admin'], security, response: { 401: ERROR_SCHEMA } },
  }, async () => holder.status());

  http.post('/api/admin/kb/reload', {
    preHandler,
    schema: {
      summary: 'Reload the knowledge base from disk; 422 lists the issues while the previous version keeps serving (Bearer ADMIN_TOKEN)',
      tags: ['admin'],
      security,
      response: { 401: ERROR_SCHEMA, 422: ERROR_SCHEMA },
    },
  }, async () => {
    const result = await holder.reload();
    if (!result.ok) {
      const { errors } = countBySeverity(result.issues);
      const message = DaobanError.create('KB_INVALID', errors).message;
      throw new DaobanError(Errors.KB_INVALID, message, { hash: result.hash, issues: result.issues });
    }
    const { loadedAt, counts } = holder.status();
    return { ok: true, changed: result.changed, hash: result.hash, loadedAt, counts, issues: result.issues };
  });
}
