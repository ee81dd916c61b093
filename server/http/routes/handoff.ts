/**
 * The citizen's side of the handoff over plain HTTP, for clients without websockets (the widget uses the
 * /citizen socket namespace). The session is named by the `X-Session-Id` header (the sessionId the chat API
 * returned), never in the URL.
 *
 *   GET  /api/handoff/state                 CitizenState: bot / queue (position, wait range) / navigator, canRate
 *   GET  /api/handoff/messages?after=SEQ    messages after SEQ (poll for the navigator's replies)
 *   POST /api/handoff/request               ask for a person → HandoffInfo
 *   POST /api/handoff/cancel                leave the queue → CitizenState
 *   POST /api/handoff/message               leave a message { name?, phone?, email?, question? } → HandoffInfo with ticketRef
 *   POST /api/handoff/rating                { score: good|average|bad, comment? } → CitizenState
 *   POST /api/handoff/read                  { seq } read receipt
 * Sending a message while a navigator holds the conversation goes through POST /api/chat as usual
 * (status "handoff": the message went to the navigator, the bot stays silent).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DaobanError } from '../../errors/catalogue.ts';
import type { HandoffService } from '../../handoff/index.ts';

export interface HandoffRoutesOptions {
  service: HandoffService;
}

function sessionOf(req: FastifyRequest): string {
  const v = req.headers['x-session-id'];
  if (typeof v !== 'string' || !v) throw DaobanError.create('MISSING_FIELD', 'X-Session-Id');
  return v;
}

function body(req: FastifyRequest): Record<string, unknown> {
  const b = req.body;
  if (b === undefined || b === null || b === '') return {};
  if (typeof b !== 'object' || Array.isArray(b)) throw DaobanError.create('INVALID_BODY', 'expected a JSON object');
  return b as Record<string, unknown>;
}

export function registerHandoffRoutes(http: FastifyInstance, { service }: HandoffRoutesOptions): void {
  http.get('/api/handoff/state', async (req) => service.citizenState(await service.bySession(sessionOf(req))));
  http.get<{ Querystring: { after?: string } }>('/api/handoff/messages', async (req) => {
    const raw = req.query.after ?? '0';
    const after = Number(raw);
    if (!Number.isInteger(after) || after < 0) throw DaobanError.create('INVALID_FIELD', 'after', 'must be a non-negative integer');
    return { messages: await service.citizenMessages(sessionOf(req), after) };
  });
  http.post('/api/handoff/request', async (req) => service.citizenRequestsHandoff(sessionOf(req)));
  http.post('/api/handoff/cancel', async (req) => service.cancelHandoff(sessionOf(req)));
  http.post('/api/handoff/message', async (req) => service.leaveMessage(sessionOf(req), body(req)));
  http.post('/api/handoff/rating', async (req) => {
    const b = body(req);
    return service.rate(sessionOf(req), b.score, b.comment);
  });
  http.post('/api/handoff/read', async (req) => ({ seq: await service.citizenRead(sessionOf(req), body(req).seq) }));
}
