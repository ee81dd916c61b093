/**
 * The console's link to the service: HTTP for login/logout and the canned-reply forms, the /navigator socket for
 * everything live.
 * Acknowledged calls retry on their own across reconnects (socket.io `retries` + `ackTimeout`; the server
 * de-duplicates sends by clientId), and every (re)connect passes the last seq seen per conversation so the
 * `hello` replay fills exactly the gap.
 */
import { io, type Socket } from 'socket.io-client';
import { NAVIGATOR_NAMESPACE, SOCKET_PATH } from '../../../server/realtime/protocol.ts';
import { reconnectPromptlyOnDrain } from '../../shared/protocol-client.ts';
import type { Ack, ErrorBody, LoginResult, NavigatorClientToServer, NavigatorServerToClient } from './protocol.ts';

export type NavigatorSocket = Socket<NavigatorServerToClient, NavigatorClientToServer>;

export class ConsoleError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

async function json<T>(res: Response): Promise<T> {
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => ({}))) as T & { error?: ErrorBody };
  if (!res.ok) throw new ConsoleError(body.error?.code ?? `HTTP_${res.status}`, body.error?.message ?? res.statusText);
  return body;
}

export async function login(username: string, password: string): Promise<LoginResult> {
  const res = await fetch('/api/console/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return json<LoginResult>(res);
}

/** A console API call with the navigator's token (forms the socket protocol does not carry, e.g. canned replies). */
export async function request<T>(token: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: object): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ConsoleError('timeout', 'no answer from the server');
  }
  return json<T>(res);
}

export async function logout(token: string): Promise<void> {
  await fetch('/api/console/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
}

type Events = NavigatorClientToServer;
type PayloadOf<E extends keyof Events> = Parameters<Events[E]>[0];
type AckOf<E extends keyof Events> = Parameters<Events[E]>[1] extends ((r: Ack<infer T>) => void) | undefined ? T : never;

export interface ConnectOptions {
  token: string;
  /** Read at every (re)connect: availability to announce and the last seq seen per conversation. */
  auth: () => { status: 'available' | 'away'; lastSeqs: Record<string, number> };
}

/** The /navigator socket; after `server:draining` (an instance shutting down) it reconnects promptly, with its lastSeqs. */
export function connectNavigator(opts: ConnectOptions): NavigatorSocket {
  const socket = io(NAVIGATOR_NAMESPACE, {
    path: SOCKET_PATH,
    auth: (cb) => cb({ token: opts.token, ...opts.auth() }),
    retries: 5,
    ackTimeout: 8000,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  }) as NavigatorSocket;
  reconnectPromptlyOnDrain(socket);
  return socket;
}

/** Emits an acknowledged event; resolves with the ack's payload or rejects with the server's error. */
export async function call<E extends keyof Events>(socket: NavigatorSocket, event: E, payload: PayloadOf<E>): Promise<AckOf<E>> {
  let ack: Ack<object>;
  try {
    ack = await (socket.emitWithAck as (ev: string, p: unknown) => Promise<Ack<object>>)(event, payload);
  } catch {
    throw new ConsoleError('timeout', 'no answer from the server');
  }
  if (!ack.ok) throw new ConsoleError(ack.error.code, ack.error.message);
  return ack as unknown as AckOf<E>;
}

export function newClientId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
