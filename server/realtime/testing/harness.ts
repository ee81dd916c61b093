/**
 * A real listening service for handoff tests: SQLite store in a temp DATA_DIR, the conversation service with a
 * manual clock and a scripted assistant, the real chat route, console and handoff routes, and socket.io — wired
 * the way server/app.ts wires them — plus socket.io-client helpers that wait for events instead of sleeping.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { io as connect, type Socket } from 'socket.io-client';
import { installErrorHandler } from '../../http/errors.ts';
import { chatRoutes } from '../../http/routes/chat.ts';
import { registerConsoleRoutes } from '../../http/routes/console.ts';
import { registerHandoffRoutes } from '../../http/routes/handoff.ts';
import { HandoffService, ManualClock, type NewNavigator, type SuggestFn } from '../../handoff/index.ts';
import { fixtureKb, OPEN_TIME } from '../../handoff/testing/fixture-kb.ts';
import { ScriptedAssistant } from '../../handoff/testing/scripted-assistant.ts';
import { SqliteHandoffStore } from '../../storage/index.ts';
import { attachRealtime, type Realtime } from '../index.ts';
import {
  CITIZEN_NAMESPACE, NAVIGATOR_NAMESPACE, SOCKET_PATH, type Ack, type CitizenAuth, type CitizenClientToServer,
  type CitizenServerToClient, type NavigatorAuth, type NavigatorClientToServer, type NavigatorServerToClient,
} from '../protocol.ts';

export type CitizenSocket = Socket<CitizenServerToClient, CitizenClientToServer>;
export type NavigatorSocket = Socket<NavigatorServerToClient, NavigatorClientToServer>;

export interface HarnessOptions {
  dataDir?: string;
  clock?: ManualClock;
  offerTimeoutMs?: number;
  graceMs?: number;
  citizenGraceMs?: number;
  sessionTtlMs?: number;
  suggest?: SuggestFn;
}

export interface Harness {
  url: string;
  dataDir: string;
  clock: ManualClock;
  store: SqliteHandoffStore;
  service: HandoffService;
  assistant: ScriptedAssistant;
  http: FastifyInstance;
  realtime: Realtime;
  /** Opens a citizen socket and resolves with it and its first `sync`. */
  citizen(auth?: CitizenAuth): Promise<{ socket: CitizenSocket; sync: Parameters<CitizenServerToClient['sync']>[0] }>;
  /** Creates (if needed) and logs in a navigator, opens their socket and resolves after `hello`. */
  navigator(n: Partial<NewNavigator> & { username: string }, auth?: Partial<NavigatorAuth>): Promise<{ socket: NavigatorSocket; token: string; id: string; hello: Parameters<NavigatorServerToClient['hello']>[0] }>;
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
  /** Dies like a killed process: connections cut, nothing drained, timers abandoned, database left as is. */
  crash(): Promise<void>;
}

export const PASSWORD = 'correct horse battery';

const sockets = new Set<Socket>();

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-handoff-'));
  const clock = opts.clock ?? new ManualClock(OPEN_TIME);
  const kb = fixtureKb();
  const store = SqliteHandoffStore.open(dataDir);
  const service = new HandoffService({
    store, kb: () => kb, clock, offerTimeoutMs: opts.offerTimeoutMs ?? 30_000, graceMs: opts.graceMs ?? 60_000,
    ...(opts.citizenGraceMs ? { citizenGraceMs: opts.citizenGraceMs } : {}), ...(opts.sessionTtlMs ? { sessionTtlMs: opts.sessionTtlMs } : {}), ...(opts.suggest ? { suggest: opts.suggest } : {}),
    log: { error: (e, msg) => console.error(msg, e) },
  });
  const assistant = new ScriptedAssistant(service);
  const pipeline = service.useAssistant(assistant);
  await service.start();

  const http = Fastify({ logger: false });
  installErrorHandler(http);
  await http.register(chatRoutes, { pipeline });
  registerConsoleRoutes(http, { service });
  registerHandoffRoutes(http, { service });
  const realtime = attachRealtime(http.server, { service, now: () => clock.now() });
  await http.listen({ port: 0, host: '127.0.0.1' });
  const addr = http.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const mine = new Set<Socket>();

  const open = <S extends Socket>(ns: string, auth: object): S => {
    const s = connect(url + ns, { path: SOCKET_PATH, auth: auth as Record<string, unknown>, transports: ['websocket'], forceNew: true, reconnection: false, autoConnect: false });
    sockets.add(s);
    mine.add(s);
    return s as unknown as S;
  };

  const login = async (username: string, password = PASSWORD): Promise<string> => {
    const res = await fetch(`${url}/api/console/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    const body = (await res.json()) as { token?: string; error?: { message: string } };
    if (!body.token) throw new Error(`login failed: ${JSON.stringify(body)}`);
    return body.token;
  };

  const harness: Harness = {
    url, dataDir, clock, store, service, assistant, http, realtime,
    async citizen(auth = {}) {
      const socket = open<CitizenSocket>(CITIZEN_NAMESPACE, auth);
      const sync = once(socket, 'sync');
      const failed = once(socket, 'connect_error').then((e) => Promise.reject(e));
      socket.connect();
      return { socket, sync: await Promise.race([sync, failed]) };
    },
    async navigator(n, auth = {}) {
      let record = await store.getNavigatorByUsername(n.username);
      if (!record) {
        await service.createNavigator({ password: PASSWORD, name: n.username, skills: ['general'], ...n });
        record = await store.getNavigatorByUsername(n.username);
      }
      const token = await login(n.username, n.password ?? PASSWORD);
      const socket = open<NavigatorSocket>(NAVIGATOR_NAMESPACE, { token, ...auth });
      const hello = once(socket, 'hello');
      const failed = once(socket, 'connect_error').then((e) => Promise.reject(e));
      socket.connect();
      return { socket, token, id: record!.id, hello: await Promise.race([hello, failed]) };
    },
    login,
    async close() {
      for (const s of mine) s.disconnect();
      await service.close();
      await realtime.close();
      await http.close();
      await store.close();
    },
    async crash() {
      for (const s of mine) s.disconnect();
      http.server.closeAllConnections();
      await realtime.close();
      await http.close();
    },
  };
  return harness;
}

type EventArgs<S, E extends string> = S extends Socket<infer L, infer _R>
  ? E extends keyof L ? (L[E] extends (...args: infer A) => void ? A : never) : E extends 'connect_error' ? [Error & { data?: { code: string } }] : never
  : never;

/** Resolves with the first payload of `event` that satisfies `match`. */
export function once<S extends Socket, E extends string>(socket: S, event: E, match: (...args: EventArgs<S, E>) => boolean = () => true): Promise<EventArgs<S, E>[0]> {
  return new Promise((resolve) => {
    const handler = (...args: unknown[]) => {
      if (!match(...(args as EventArgs<S, E>))) return;
      (socket as unknown as { off(e: string, h: unknown): void }).off(event, handler);
      resolve(args[0] as EventArgs<S, E>[0]);
    };
    (socket as unknown as { on(e: string, h: unknown): void }).on(event, handler);
  });
}

/** Emits with an ack and returns the ack, failing the test on `{ ok: false }` unless `allowError`. */
export async function call<T extends object>(socket: Socket, event: string, payload: unknown, allowError = false): Promise<Ack<T>> {
  const res = (await (socket as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<unknown> } }).timeout(5000).emitWithAck(event, payload)) as Ack<T>;
  if (!res.ok && !allowError) throw new Error(`${event} failed: ${res.error.code} ${res.error.message}`);
  return res;
}

/** Same, returning the success body (throws on error acks). */
export async function ok<T extends object>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return (await call<T>(socket, event, payload)) as T;
}

/** An HTTP request to the harness's server with a JSON body; the status and the parsed JSON answer. */
export async function requestJson(h: Harness, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(h.url + url, {
    method, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Collects every payload of an event from now on. */
export function collect<S extends Socket, E extends string>(socket: S, event: E): Array<EventArgs<S, E>[0]> {
  const out: Array<EventArgs<S, E>[0]> = [];
  (socket as unknown as { on(e: string, h: (p: unknown) => void): void }).on(event, (p) => out.push(p as EventArgs<S, E>[0]));
  return out;
}

export async function closeAllSockets(): Promise<void> {
  for (const s of sockets) s.disconnect();
  sockets.clear();
}
