/**
 * The navigator console's HTTP API (Authorization: Bearer <token> from login, except login itself).
 * The same actions exist on the /navigator socket namespace; the console uses HTTP for reads and forms
 * and the socket for live events.
 *
 *   POST   /api/console/login                         { username, password } → { token, expiresAt, navigator }
 *   POST   /api/console/logout
 *   GET    /api/console/me                            the navigator, with status and load
 *   GET    /api/console/queue                         the queue by skill, with waiting times and capacity
 *   GET    /api/console/conversations                 held and offered conversations
 *   GET    /api/console/conversations/:id             transcript (bot turns with citations), packet, notes, events, ratings
 *   POST   /api/console/conversations/:id/accept
 *   POST   /api/console/conversations/:id/decline
 *   POST   /api/console/conversations/:id/messages    { text, clientId? }
 *   POST   /api/console/conversations/:id/notes       { text, clientId? }   (internal, never sent to the citizen)
 *   POST   /api/console/conversations/:id/read        { seq }
 *   POST   /api/console/conversations/:id/transfer    { to: { navigatorId } | { skill }, note? }
 *   POST   /api/console/conversations/:id/return-to-bot { code?, note? }
 *   POST   /api/console/conversations/:id/end
 *   POST   /api/console/conversations/:id/wrap-up     { code, note? }
 *   GET    /api/console/conversations/:id/suggestions agent assist for the citizen's last question
 *   GET    /api/console/wrap-up-codes
 *   GET    /api/console/navigators                    everyone, with status and load (transfer targets)
 *   GET    /api/console/canned                        POST /api/console/canned { title, text, skill? }
 *   PUT    /api/console/canned/:id                    DELETE /api/console/canned/:id
 *          (supervisors change any reply, a navigator those of their own skills, the shared set supervisors only:
 *          otherwise 403 DB_FORBIDDEN; every change is announced on the socket as `canned:changed`)
 *   GET    /api/console/monitor                       supervisors only (others: 403 DB_FORBIDDEN): every conversation with a
 *                                                     navigator, with its item, skill, start and last-message time; live
 *                                                     changes and read-only transcripts are on the socket (monitor:*)
 *   GET    /api/console/tickets?status=open|claimed|closed
 *   POST   /api/console/tickets/:id/claim             POST /api/console/tickets/:id/close { note? }
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DaobanError } from '../../errors/catalogue.ts';
import { WRAP_UP_CODES, type HandoffService } from '../../handoff/index.ts';
import type { TransferTarget } from '../../handoff/index.ts';
import type { NavigatorRecord } from '../../storage/index.ts';

export interface ConsoleRoutesOptions {
  service: HandoffService;
}

type Params = { id: string };

function body(req: FastifyRequest): Record<string, unknown> {
  const b = req.body;
  if (b === undefined || b === null || b === '') return {};
  if (typeof b !== 'object' || Array.isArray(b)) throw DaobanError.create('INVALID_BODY', 'expected a JSON object');
  return b as Record<string, unknown>;
}

function bearer(req: FastifyRequest): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
}

export function registerConsoleRoutes(http: FastifyInstance, { service }: ConsoleRoutesOptions): void {
  const nav = async (req: FastifyRequest): Promise<NavigatorRecord> => (await service.authenticate(bearer(req))).navigator;

  http.post('/api/console/login', async (req) => {
    const b = body(req);
    return service.login(b.username, b.password);
  });
  http.post('/api/console/logout', async (req, reply) => {
    await nav(req);
    await service.accounts.logout(bearer(req)!);
    return reply.status(204).send();
  });
  http.get('/api/console/me', async (req) => {
    const n = await nav(req);
    return (await service.navigators()).find((v) => v.id === n.id);
  });
  http.get('/api/console/queue', async (req) => {
    await nav(req);
    return service.queueSnapshot();
  });
  http.get('/api/console/conversations', async (req) => ({ conversations: await service.activeConversations(await nav(req)) }));
  http.get<{ Params: Params }>('/api/console/conversations/:id', async (req) => service.conversationDetail(await nav(req), req.params.id));
  http.post<{ Params: Params }>('/api/console/conversations/:id/accept', async (req) => ({ conversation: await service.accept(await nav(req), req.params.id) }));
  http.post<{ Params: Params }>('/api/console/conversations/:id/decline', async (req, reply) => {
    await service.decline(await nav(req), req.params.id);
    return reply.status(204).send();
  });
  http.post<{ Params: Params }>('/api/console/conversations/:id/messages', async (req) => {
    const b = body(req);
    return { message: await service.sendAsNavigator(await nav(req), req.params.id, b.text, b.clientId) };
  });
  http.post<{ Params: Params }>('/api/console/conversations/:id/notes', async (req) => {
    const b = body(req);
    return { note: await service.addNote(await nav(req), req.params.id, b.text, b.clientId) };
  });
  http.post<{ Params: Params }>('/api/console/conversations/:id/read', async (req) => ({ seq: await service.navigatorRead(await nav(req), req.params.id, body(req).seq) }));
  http.post<{ Params: Params }>('/api/console/conversations/:id/transfer', async (req) => {
    const b = body(req);
    return { conversation: await service.transfer(await nav(req), req.params.id, b.to as TransferTarget, b.note) };
  });
  http.post<{ Params: Params }>('/api/console/conversations/:id/return-to-bot', async (req) => {
    const b = body(req);
    return { conversation: await service.returnToBot(await nav(req), req.params.id, b.code, b.note) };
  });
  http.post<{ Params: Params }>('/api/console/conversations/:id/end', async (req) => ({ conversation: await service.end(await nav(req), req.params.id) }));
  http.post<{ Params: Params }>('/api/console/conversations/:id/wrap-up', async (req) => {
    const b = body(req);
    return { conversation: await service.wrapUp(await nav(req), req.params.id, b.code, b.note) };
  });
  http.get<{ Params: Params }>('/api/console/conversations/:id/suggestions', async (req) => service.suggest(await nav(req), req.params.id));
  http.get('/api/console/wrap-up-codes', async (req) => {
    await nav(req);
    return { codes: WRAP_UP_CODES };
  });
  http.get('/api/console/navigators', async (req) => {
    await nav(req);
    return { navigators: await service.navigators() };
  });
  http.get('/api/console/canned', async (req) => ({ replies: await service.cannedReplies(await nav(req)) }));
  http.post('/api/console/canned', async (req) => {
    const { id: _ignored, ...b } = body(req);
    return { reply: await service.saveCannedReply(await nav(req), b) };
  });
  http.put<{ Params: Params }>('/api/console/canned/:id', async (req) => ({ reply: await service.saveCannedReply(await nav(req), { ...body(req), id: req.params.id }) }));
  http.delete<{ Params: Params }>('/api/console/canned/:id', async (req, reply) => {
    await service.deleteCannedReply(await nav(req), req.params.id);
    return reply.status(204).send();
  });
  http.get('/api/console/monitor', async (req) => ({ conversations: await service.monitor.list(await nav(req)) }));
  http.get<{ Querystring: { status?: string } }>('/api/console/tickets', async (req) => ({ tickets: await service.tickets(await nav(req), req.query.status) }));
  http.post<{ Params: Params }>('/api/console/tickets/:id/claim', async (req) => ({ ticket: await service.claimTicket(await nav(req), req.params.id) }));
  http.post<{ Params: Params }>('/api/console/tickets/:id/close', async (req) => ({ ticket: await service.closeTicket(await nav(req), req.params.id, body(req).note) }));
}
