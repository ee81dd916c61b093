/**
 * Realtime delivery over socket.io, attached to the service's HTTP server: the /citizen and /navigator
 * namespaces (protocol in ./protocol.ts) fed by the handoff service's events.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { ANYONE, isMonitored, type HandoffService } from '../handoff/index.ts';
import type { Log } from './acks.ts';
import { citizenRoom, setUpCitizenNamespace, type CitizenNamespace } from './citizen-namespace.ts';
import {
  MONITOR_ROOM, navigatorRoom, setUpNavigatorNamespace, skillRoom, SUPERVISORS_ROOM, watchRoom, type NavigatorNamespace,
} from './navigator-namespace.ts';
import { CITIZEN_NAMESPACE, NAVIGATOR_NAMESPACE, SOCKET_PATH } from './protocol.ts';

export * from './protocol.ts';

export interface RealtimeOptions {
  service: HandoffService;
  /** Origins allowed to open sockets (the portal origins embedding the widget, and the console's). */
  allowedOrigins?: string[];
  log?: Log;
  /** The clock used for session-expiry checks (the service's). */
  now?: () => number;
  /** Heartbeat; socket.io's defaults (25 s / 20 s) unless given. */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  /**
   * Multi-instance mode: every instance announces the queue to its own sockets (each re-announces on any
   * instance's change), so queue events are not relayed; `instanceId` names the instance in `server:draining`.
   */
  cluster?: { instanceId: string };
}

export interface Realtime {
  io: Server;
  /**
   * Stops accepting handshakes, tells this instance's clients (`server:draining`) and closes their transports:
   * socket.io clients reconnect on their own, through the load balancer to another instance.
   */
  drain(): Promise<void>;
  /** Drains, then disconnects what is left; the HTTP server itself is closed by its owner. */
  close(): Promise<void>;
}

export function attachRealtime(httpServer: HttpServer, opts: RealtimeOptions): Realtime {
  const log = opts.log ?? { error: (obj, msg) => console.error(msg, obj) };
  const { service } = opts;
  const io = new Server(httpServer, {
    path: SOCKET_PATH,
    serveClient: false,
    ...(opts.allowedOrigins ? { cors: { origin: opts.allowedOrigins, credentials: false } } : {}),
    ...(opts.pingIntervalMs ? { pingInterval: opts.pingIntervalMs } : {}),
    ...(opts.pingTimeoutMs ? { pingTimeout: opts.pingTimeoutMs } : {}),
    maxHttpBufferSize: 64 * 1024,
  });
  const citizens = io.of(CITIZEN_NAMESPACE) as CitizenNamespace;
  const navigators = io.of(NAVIGATOR_NAMESPACE) as NavigatorNamespace;
  setUpCitizenNamespace(citizens, service, log);
  setUpNavigatorNamespace(navigators, service, log, opts.now ?? (() => Date.now()));

  const navRooms = (conversationId: string, ids: Array<string | null | undefined>) => [
    watchRoom(conversationId), ...ids.filter((x): x is string => Boolean(x)).map(navigatorRoom),
  ];
  // The broadcast to `rooms`, or none when nobody can hear it. One instance: a room with no socket in it needs no
  // packet encoded (most of the bot's turns have no socket listening: the citizen asked over HTTP). Several
  // instances: the room may have members elsewhere.
  const toListeners = <N extends CitizenNamespace | NavigatorNamespace>(ns: N, rooms: string | string[]): ReturnType<N['to']> | undefined =>
    opts.cluster !== undefined || [rooms].flat().some((room) => ns.adapter.rooms.has(room)) ? (ns.to(rooms) as ReturnType<N['to']>) : undefined;

  // Announcements are worked out only for those connected here (each instance announces to its own sockets).
  service.setAudience({
    navigators: () => navigators.sockets.size > 0,
    citizen: (conversationId) => citizens.adapter.rooms.has(citizenRoom(conversationId)),
  });

  const off = [
    service.events.on('message', (conv, message) => {
      toListeners(citizens, citizenRoom(conv.id))?.emit('message', message);
      // One broadcast (one Redis publish) whether or not supervisors are monitoring: the room is just one more target.
      const rooms = navRooms(conv.id, [conv.navigatorId, conv.offeredTo]);
      toListeners(navigators, isMonitored(conv.state) ? [...rooms, MONITOR_ROOM] : rooms)?.emit('message', message);
    }),
    service.events.on('bot-delta', (conv, delta) => toListeners(citizens, citizenRoom(conv.id))?.emit('bot:delta', delta)),
    service.events.on('state', (conv, citizen, summary, ids) => {
      toListeners(citizens, citizenRoom(conv.id))?.emit('state', citizen);
      toListeners(navigators, navRooms(conv.id, ids))?.emit('conversation', summary);
      const change = service.monitor.change(conv, summary);
      if (change) navigators.to(MONITOR_ROOM).emit('monitor:conversation', change);
    }),
    service.events.on('queue', (snapshot) => (opts.cluster ? navigators.local : navigators).emit('queue', snapshot)),
    service.events.on('queue-position', (conv, status) => (opts.cluster ? citizens.local : citizens).to(citizenRoom(conv.id)).emit('queue', status)),
    service.events.on('offer', (id, offer) => navigators.to(navigatorRoom(id)).emit('offer', offer)),
    service.events.on('offer-withdrawn', (id, info) => navigators.to(navigatorRoom(id)).emit('offer:withdrawn', info)),
    service.events.on('note', (conv, note) => navigators.to(navRooms(conv.id, [conv.navigatorId])).emit('note', note)),
    service.events.on('typing', (conv, t) => {
      if (t.from === 'citizen') navigators.volatile.to(navRooms(conv.id, [conv.navigatorId])).emit('typing', { conversationId: conv.id, from: 'citizen', typing: t.typing });
      else citizens.volatile.to(citizenRoom(conv.id)).emit('typing', { from: 'navigator', typing: t.typing, ...(t.name ? { name: t.name } : {}) });
    }),
    service.events.on('read', (conv, r) => {
      if (r.by === 'citizen') navigators.to(navRooms(conv.id, [conv.navigatorId])).emit('read', { conversationId: conv.id, by: 'citizen', seq: r.seq });
      else citizens.to(citizenRoom(conv.id)).emit('read', { by: 'navigator', seq: r.seq });
    }),
    service.events.on('ticket', (ticket) => navigators.to([skillRoom(ticket.skill), SUPERVISORS_ROOM]).emit('ticket', ticket)),
    service.events.on('navigator-status', (id, status, cause) => navigators.to(navigatorRoom(id)).emit('status', { status, cause })),
    service.events.on('canned-changed', ({ id, skills }) => {
      // A shared reply concerns everyone; a skill's reply its navigators and the supervisors (who see every skill).
      const to = skills.includes(null) ? navigators : navigators.to([...skills.filter((s): s is string => s !== null).map(skillRoom), SUPERVISORS_ROOM]);
      to.emit('canned:changed', { id });
    }),
  ];

  let draining: Promise<void> | undefined;
  const drain = () => (draining ??= (async () => {
    io.engine.opts.allowRequest = (_req, callback) => callback('draining', false);
    const notice = { instance: opts.cluster?.instanceId ?? 'local' };
    const local: Socket[] = [...citizens.sockets.values(), ...navigators.sockets.values()] as Socket[];
    const gone = local.map((s) => new Promise<void>((resolve) => (s.connected ? s.once('disconnect', () => resolve()) : resolve())));
    citizens.local.emit('server:draining', notice);
    navigators.local.emit('server:draining', notice);
    // engine.io flushes the notice before closing; the disconnect handlers (presence, offers) run before we go on.
    for (const s of local) s.conn.close();
    await Promise.race([Promise.all(gone), new Promise((r) => setTimeout(r, 3000).unref())]);
  })());

  return {
    io,
    drain,
    async close() {
      await drain();
      for (const unsubscribe of off) unsubscribe();
      service.setAudience(ANYONE);
      // Local only: with the Redis adapter a plain disconnectSockets() would reach every instance's clients.
      citizens.local.disconnectSockets(true);
      navigators.local.disconnectSockets(true);
      io.engine.close();
    },
  };
}
