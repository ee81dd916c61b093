/**
 * /navigator: logged-in navigators only; rooms per navigator (nav:<id>), skill (skill:<s>), opened conversation
 * (watch:<id>), supervisors, and supervisors with the monitor open (monitor). With the Redis adapter every room
 * spans the instances, so a supervisor on one instance follows a conversation served on another.
 */
import type { Namespace } from 'socket.io';
import { DaobanError } from '../errors/catalogue.ts';
import type { HandoffService } from '../handoff/index.ts';
import { WRAP_UP_CODES } from '../handoff/index.ts';
import type { NavigatorRecord } from '../storage/index.ts';
import { acked, connectError, type Log } from './acks.ts';
import type { NavigatorAuth, NavigatorClientToServer, NavigatorServerToClient, TransferTarget } from './protocol.ts';

export interface NavigatorSocketData {
  navigator: NavigatorRecord;
  expiresAt: number;
  status: 'available' | 'away';
  lastSeqs: Record<string, number>;
}

export type NavigatorNamespace = Namespace<NavigatorClientToServer, NavigatorServerToClient, Record<string, never>, NavigatorSocketData>;

export const navigatorRoom = (id: string) => `nav:${id}`;
export const skillRoom = (skill: string) => `skill:${skill}`;
export const watchRoom = (conversationId: string) => `watch:${conversationId}`;
export const SUPERVISORS_ROOM = 'supervisors';
export const MONITOR_ROOM = 'monitor';

function lastSeqsOf(v: unknown): Record<string, number> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw DaobanError.create('INVALID_FIELD', 'lastSeqs', 'must map conversation ids to seq numbers');
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(v)) {
    if (!Number.isInteger(n) || (n as number) < 0) throw DaobanError.create('INVALID_FIELD', `lastSeqs.${k}`, 'must be a non-negative integer');
    out[k] = n as number;
  }
  return out;
}

const conversationIdOf = (p: Record<string, unknown>): string => {
  if (typeof p.conversationId !== 'string' || !p.conversationId) throw DaobanError.create('MISSING_FIELD', 'conversationId');
  return p.conversationId;
};

export function setUpNavigatorNamespace(ns: NavigatorNamespace, service: HandoffService, log: Log, now: () => number): void {
  ns.use((socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as Partial<NavigatorAuth>;
    (async () => {
      const { navigator, expiresAt } = await service.authenticate(typeof auth.token === 'string' ? auth.token : undefined);
      if (auth.status !== undefined && auth.status !== 'available' && auth.status !== 'away') {
        throw DaobanError.create('INVALID_FIELD', 'status', 'must be "available" or "away"');
      }
      socket.data = { navigator, expiresAt, status: auth.status ?? 'available', lastSeqs: lastSeqsOf(auth.lastSeqs) };
    })().then(() => next(), (e: unknown) => next(connectError(e, log)));
  });

  ns.on('connection', (socket) => {
    const nav = socket.data.navigator;
    void socket.join([navigatorRoom(nav.id), skillRoom('general'), ...nav.skills.map(skillRoom), ...(nav.role === 'supervisor' ? [SUPERVISORS_ROOM] : [])]);

    // Every event re-checks the session: a console left open past expiry must log in again.
    socket.use((_packet, next) => {
      if (now() < socket.data.expiresAt) return next();
      socket.emit('session:expired');
      next(new Error(DaobanError.create('SESSION_EXPIRED').code));
      socket.disconnect(true);
    });
    socket.on('error', () => undefined);

    service.navigatorConnected(nav, socket.data.status);
    socket.on('disconnect', () => {
      void service.navigatorDisconnected(nav.id).catch((e: unknown) => log.error(e, 'navigator disconnect handling failed'));
    });

    (async () => {
      const conversations = await service.activeConversations(nav);
      const replay = [];
      const held = new Set(conversations.filter((c) => c.navigatorId === nav.id).map((c) => c.id));
      for (const id of new Set([...held, ...Object.keys(socket.data.lastSeqs)])) {
        try {
          const { messages } = await service.conversationMessages(nav, id, socket.data.lastSeqs[id] ?? 0);
          replay.push({ conversationId: id, messages });
          if (!held.has(id)) void socket.join(watchRoom(id));
        } catch {
          // A conversation the navigator may no longer see is simply not replayed.
        }
      }
      socket.emit('hello', {
        navigator: service.navigatorView(nav, new Map([[nav.id, conversations.length]])),
        queue: await service.queueSnapshot(),
        conversations,
        replay,
        openTickets: (await service.tickets(nav, 'open')).length,
        wrapUpCodes: [...WRAP_UP_CODES],
        sessionExpiresAt: new Date(socket.data.expiresAt).toISOString(),
      });
    })().catch((e: unknown) => log.error(e, 'navigator hello failed'));

    socket.on('status:set', acked(log, async (p) => ({ status: service.setStatus(nav.id, p.status) })));
    socket.on('queue:get', acked(log, async () => ({ queue: await service.queueSnapshot() })));
    socket.on('conversations:mine', acked(log, async () => ({ conversations: await service.activeConversations(nav) })));
    socket.on('conversation:accept', acked(log, async (p) => ({ conversation: await service.accept(nav, conversationIdOf(p)) })));
    socket.on('conversation:decline', acked(log, async (p) => {
      await service.decline(nav, conversationIdOf(p));
      return {};
    }));
    socket.on('conversation:open', acked(log, async (p) => {
      const detail = await service.conversationDetail(nav, conversationIdOf(p));
      void socket.join(watchRoom(detail.conversation.id));
      return { detail };
    }));
    socket.on('conversation:close-view', (p) => {
      if (p && typeof p.conversationId === 'string') void socket.leave(watchRoom(p.conversationId));
    });
    socket.on('message:send', acked(log, async (p) => {
      if (typeof p.clientId !== 'string' || !p.clientId) throw DaobanError.create('MISSING_FIELD', 'clientId');
      return { message: await service.sendAsNavigator(nav, conversationIdOf(p), p.text, p.clientId) };
    }));
    socket.on('note:add', acked(log, async (p) => ({ note: await service.addNote(nav, conversationIdOf(p), p.text, p.clientId) })));
    socket.on('typing', (p) => {
      if (p && typeof p.conversationId === 'string') void service.navigatorTyping(nav, p.conversationId, Boolean(p.typing)).catch(() => undefined);
    });
    socket.on('read', acked(log, async (p) => ({ seq: await service.navigatorRead(nav, conversationIdOf(p), p.seq) })));
    socket.on('conversation:transfer', acked(log, async (p) => ({
      conversation: await service.transfer(nav, conversationIdOf(p), p.to as TransferTarget, p.note),
    })));
    socket.on('conversation:return-to-bot', acked(log, async (p) => ({ conversation: await service.returnToBot(nav, conversationIdOf(p), p.code, p.note) })));
    socket.on('conversation:end', acked(log, async (p) => ({ conversation: await service.end(nav, conversationIdOf(p)) })));
    socket.on('conversation:wrap-up', acked(log, async (p) => ({ conversation: await service.wrapUp(nav, conversationIdOf(p), p.code, p.note) })));
    socket.on('assist:suggest', acked(log, async (p) => service.suggest(nav, conversationIdOf(p))));
    socket.on('sync', acked(log, async (p) => {
      const lastSeq = p.lastSeq ?? 0;
      if (!Number.isInteger(lastSeq) || (lastSeq as number) < 0) throw DaobanError.create('INVALID_FIELD', 'lastSeq', 'must be a non-negative integer');
      return service.conversationMessages(nav, conversationIdOf(p), lastSeq as number);
    }));
    socket.on('canned:list', acked(log, async () => ({ replies: await service.cannedReplies(nav) })));
    socket.on('tickets:list', acked(log, async (p) => ({ tickets: await service.tickets(nav, p.status) })));
    socket.on('ticket:claim', acked(log, async (p) => ({ ticket: await service.claimTicket(nav, String(p.ticketId ?? '')) })));
    socket.on('ticket:close', acked(log, async (p) => ({ ticket: await service.closeTicket(nav, String(p.ticketId ?? ''), p.note) })));
    socket.on('navigators:list', acked(log, async () => ({ navigators: await service.navigators() })));

    // Supervisor monitoring. Rooms are joined before reading, so nothing falls between what is read and the live
    // events (the console applies changes that overtake the list after it; messages are deduplicated by seq).
    socket.on('monitor:list', acked(log, async () => {
      service.monitor.authorize(nav);
      await socket.join(MONITOR_ROOM);
      return { conversations: await service.monitor.list(nav) };
    }));
    socket.on('monitor:stop', () => void socket.leave(MONITOR_ROOM));
    socket.on('monitor:open', acked(log, async (p) => {
      service.monitor.authorize(nav);
      const room = watchRoom(conversationIdOf(p));
      const watching = socket.rooms.has(room);
      await socket.join(room);
      try {
        return { detail: await service.monitor.open(nav, p.conversationId) };
      } catch (e) {
        if (!watching) await socket.leave(room);
        throw e;
      }
    }));
  });
}
