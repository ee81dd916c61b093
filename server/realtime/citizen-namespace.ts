/** /citizen: one conversation per socket, reached only with its secret sessionId. */
import type { Namespace } from 'socket.io';
import { DaobanError } from '../errors/catalogue.ts';
import type { HandoffService } from '../handoff/index.ts';
import { acked, connectError, type Log } from './acks.ts';
import type { CitizenAuth, CitizenClientToServer, CitizenServerToClient, CitizenSync } from './protocol.ts';

export interface CitizenSocketData {
  conversationId: string;
  sessionId: string;
  lastSeq: number;
}

export type CitizenNamespace = Namespace<CitizenClientToServer, CitizenServerToClient, Record<string, never>, CitizenSocketData>;

export const citizenRoom = (conversationId: string) => `conv:${conversationId}`;

function seqOf(v: unknown, field: string): number {
  if (v === undefined || v === null) return 0;
  if (!Number.isInteger(v) || (v as number) < 0) throw DaobanError.create('INVALID_FIELD', field, 'must be a non-negative integer');
  return v as number;
}

export function setUpCitizenNamespace(ns: CitizenNamespace, service: HandoffService, log: Log): void {
  // With the Redis adapter this asks every instance once, however many conversations (a reload may have landed on another one).
  service.useCitizenSockets(async (conversationIds) => {
    if (!conversationIds.length) return new Set(); // no rooms would mean every socket
    return new Set((await ns.in(conversationIds.map(citizenRoom)).fetchSockets()).map((s) => s.data.conversationId));
  });

  ns.use((socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as CitizenAuth;
    (async () => {
      const lastSeq = seqOf(auth.lastSeq, 'lastSeq');
      const lang = auth.lang === 'en' ? 'en' : 'zh';
      const conv = await service.openCitizenSocket(auth.sessionId, lang);
      socket.data = { conversationId: conv.id, sessionId: conv.sessionId, lastSeq };
    })().then(() => next(), (e: unknown) => next(connectError(e, log)));
  });

  const sync = async (sessionId: string, lastSeq: number): Promise<CitizenSync> => {
    const conv = await service.bySession(sessionId);
    const messages = await service.citizenMessages(sessionId, lastSeq, 10_000);
    return { sessionId, messages, state: await service.citizenState(conv) };
  };

  ns.on('connection', (socket) => {
    const { conversationId, sessionId } = socket.data;
    const room = citizenRoom(conversationId);
    void socket.join(room);
    service.citizenConnected(conversationId);
    socket.on('disconnect', () => {
      // another tab of the same conversation is still open here
      if (ns.adapter.rooms.get(room)?.size) return;
      service.citizenDisconnected(conversationId).catch((e: unknown) => log.error(e, 'citizen disconnect handling failed'));
    });
    sync(sessionId, socket.data.lastSeq).then(
      (payload) => socket.emit('sync', payload),
      (e: unknown) => log.error(e, 'citizen sync failed'),
    );

    socket.on('message:send', acked(log, async (p) => {
      if (typeof p.clientId !== 'string' || !p.clientId) throw DaobanError.create('MISSING_FIELD', 'clientId');
      const { conv, message, duplicate } = await service.postCitizenMessage({
        sessionId, message: p.text as string, clientId: p.clientId, ...(p.lang !== undefined ? { lang: p.lang as 'zh' } : {}),
      });
      // Acknowledged once persisted; the answer (bot, or nobody while a navigator holds it) follows as events.
      void service.answerIfBot(conv, message).catch((e: unknown) => log.error(e, 'bot reply failed'));
      return { seq: message.seq, duplicate };
    }));
    socket.on('handoff:request', acked(log, async () => ({ handoff: await service.citizenRequestsHandoff(sessionId) })));
    socket.on('handoff:cancel', acked(log, async () => ({ state: await service.cancelHandoff(sessionId) })));
    socket.on('ticket:leave', acked(log, async (p) => ({ handoff: await service.leaveMessage(sessionId, p) })));
    socket.on('rating:submit', acked(log, async (p) => ({ state: await service.rate(sessionId, p.score, p.comment) })));
    socket.on('typing', (p) => void service.citizenTyping(sessionId, Boolean(p?.typing)).catch(() => undefined));
    socket.on('read', acked(log, async (p) => ({ seq: await service.citizenRead(sessionId, p.seq) })));
    socket.on('sync', acked(log, async (p) => sync(sessionId, seqOf(p.lastSeq, 'lastSeq'))));
  });
}
