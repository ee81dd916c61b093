/**
 * Typed socket.io clients for the realtime protocol (server/realtime/protocol.ts).
 *
 * CitizenClient keeps one conversation: it remembers the sessionId (storage), connects with the last seq it has
 * shown so the server replays exactly what was missed (after a lost connection or a reload), ignores messages
 * it already has (nothing doubled), and sends with a client id and retries (nothing lost, never stored twice).
 *
 * Stable API (the console imports it): CitizenClient, connectNavigator, reconnectPromptlyOnDrain, newClientId,
 * and the protocol types re-exported below.
 */
import { io, type Socket } from 'socket.io-client';
import type {
  Ack, CitizenClientToServer, CitizenServerToClient, CitizenState, HandoffInfo, LeaveMessageInput, MessageView,
  NavigatorAuth, NavigatorClientToServer, NavigatorServerToClient, QueueStatus, RatingScore,
} from '../../server/realtime/protocol.ts';

export type * from '../../server/realtime/protocol.ts';

export type CitizenSocket = Socket<CitizenServerToClient, CitizenClientToServer>;
export type NavigatorSocket = Socket<NavigatorServerToClient, NavigatorClientToServer>;

export const CITIZEN_NS = '/citizen';
export const NAVIGATOR_NS = '/navigator';
export const SOCKET_IO_PATH = '/socket.io';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'failed';

/** Delay before reconnecting after `server:draining` (socket.io adds ±50% jitter, so a drained instance's clients spread out). */
export const DRAIN_RECONNECT_MS = 100;

/**
 * `server:draining`: the instance closes this connection next (deploy, scale-in). The next reconnect starts after
 * DRAIN_RECONNECT_MS instead of the usual backoff, and reaches another instance through the load balancer; the
 * auth function passes the latest seq(s), so the replay fills exactly the gap. The usual backoff is restored once
 * connected again. `onDraining` lets the caller show a calm "reconnecting" rather than an error.
 */
export function reconnectPromptlyOnDrain(socket: CitizenSocket | NavigatorSocket, onDraining?: () => void): void {
  const s = socket as unknown as Socket;
  let usual: number | undefined;
  s.on('server:draining', () => {
    usual ??= s.io.reconnectionDelay();
    s.io.reconnectionDelay(DRAIN_RECONNECT_MS);
    onDraining?.();
  });
  s.on('connect', () => {
    if (usual === undefined) return;
    s.io.reconnectionDelay(usual);
    usual = undefined;
  });
}

export interface CitizenEvents {
  /** The transcript was (re)loaded: `reset` means start over (a new conversation, or the first load). */
  sync: (messages: MessageView[], state: CitizenState, reset: boolean) => void;
  message: (message: MessageView) => void;
  delta: (payload: { replyTo: number; chunk: string; reset?: boolean }) => void;
  state: (state: CitizenState) => void;
  queue: (status: QueueStatus) => void;
  typing: (payload: { typing: boolean; name?: string }) => void;
  read: (seq: number) => void;
  status: (status: ConnectionStatus, error?: { code: string; message: string }) => void;
}

type Listeners = { [K in keyof CitizenEvents]: Set<CitizenEvents[K]> };

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface CitizenClientOptions {
  /** The service's base URL, e.g. https://daoban.example.gov.cn */
  serverUrl: string;
  lang: 'zh' | 'en';
  /** Where the sessionId is kept across reloads (default localStorage; null: nowhere). */
  storage?: KeyValueStorage | null;
  storageKey?: string;
  /** Per-send acknowledgement timeout before a retry (ms). */
  ackTimeoutMs?: number;
}

export function newClientId(): string {
  const c = globalThis.crypto;
  if (c && 'randomUUID' in c) return c.randomUUID();
  return `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

class AckError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

function unwrap<T extends object>(ack: Ack<T>): T {
  if (!ack.ok) throw new AckError(ack.error.code, ack.error.message);
  return ack;
}

export class CitizenClient {
  readonly socket: CitizenSocket;
  /** The transcript by seq. */
  readonly messages = new Map<number, MessageView>();
  state: CitizenState | undefined;
  status: ConnectionStatus = 'connecting';
  private sessionIdValue: string | undefined;
  private lastSeqValue = 0;
  /** Between `server:draining` and the next connect: connection trouble is the expected switch of instance. */
  private draining = false;
  private readonly listeners: Listeners = {
    sync: new Set(), message: new Set(), delta: new Set(), state: new Set(), queue: new Set(), typing: new Set(), read: new Set(), status: new Set(),
  };
  private readonly storage: KeyValueStorage | null;
  private readonly storageKey: string;
  lang: 'zh' | 'en';

  constructor(opts: CitizenClientOptions) {
    this.lang = opts.lang;
    this.storage = opts.storage === undefined ? safeLocalStorage() : opts.storage;
    const base = opts.serverUrl.replace(/\/$/, '');
    this.storageKey = opts.storageKey ?? `daoban.session:${new URL(base, 'http://localhost').host}`;
    this.sessionIdValue = this.storage?.getItem(this.storageKey) ?? undefined;
    this.socket = io(`${base}${CITIZEN_NS}`, {
      path: SOCKET_IO_PATH,
      transports: ['websocket', 'polling'],
      // called on every (re)connect: the server replays what came after lastSeq
      auth: (cb) => cb({ ...(this.sessionIdValue ? { sessionId: this.sessionIdValue } : {}), lastSeq: this.lastSeqValue, lang: this.lang }),
      retries: 5,
      ackTimeout: opts.ackTimeoutMs ?? 10_000,
    });
    this.wire();
  }

  get sessionId(): string | undefined {
    return this.sessionIdValue;
  }

  get lastSeq(): number {
    return this.lastSeqValue;
  }

  on<K extends keyof CitizenEvents>(event: K, fn: CitizenEvents[K]): () => void {
    this.listeners[event].add(fn);
    return () => this.listeners[event].delete(fn);
  }

  private emit<K extends keyof CitizenEvents>(event: K, ...args: Parameters<CitizenEvents[K]>): void {
    for (const fn of this.listeners[event]) (fn as (...a: Parameters<CitizenEvents[K]>) => void)(...args);
  }

  private setStatus(status: ConnectionStatus, error?: { code: string; message: string }): void {
    this.status = status;
    this.emit('status', status, error);
  }

  /** Adds a message unless it is already known; true when it was new. */
  private accept(m: MessageView): boolean {
    if (this.messages.has(m.seq)) return false;
    this.messages.set(m.seq, m);
    if (m.seq > this.lastSeqValue) this.lastSeqValue = m.seq;
    return true;
  }

  private wire(): void {
    const s = this.socket;
    s.on('connect', () => {
      this.draining = false;
      this.setStatus('connected');
    });
    reconnectPromptlyOnDrain(s, () => {
      this.draining = true;
      this.setStatus('reconnecting');
    });
    s.on('disconnect', (reason) => {
      if (reason !== 'io client disconnect') this.setStatus('reconnecting');
    });
    s.on('connect_error', (err: Error & { data?: unknown }) => {
      const code = err.message;
      if (code === 'DB_UNKNOWN_SESSION') {
        // the stored conversation is gone (expired, or another server): start a new one
        this.forgetSession();
        s.connect();
        return;
      }
      // A refused handshake while instances are switching (the drained one still answering) is retried calmly.
      if (this.draining && s.active) return this.setStatus('reconnecting');
      this.setStatus('failed', { code, message: err.message });
    });
    s.on('sync', (payload) => {
      const reset = payload.sessionId !== this.sessionIdValue || this.messages.size === 0;
      if (payload.sessionId !== this.sessionIdValue) {
        this.messages.clear();
        this.lastSeqValue = 0;
        this.sessionIdValue = payload.sessionId;
        this.storage?.setItem(this.storageKey, payload.sessionId);
      }
      const fresh = payload.messages.filter((m) => this.accept(m));
      this.state = payload.state;
      if (reset) this.emit('sync', [...this.messages.values()].sort((a, b) => a.seq - b.seq), payload.state, true);
      else {
        for (const m of fresh) this.emit('message', m);
        this.emit('sync', fresh, payload.state, false);
      }
      this.emit('state', payload.state);
    });
    s.on('message', (m) => {
      if (this.accept(m)) this.emit('message', m);
    });
    s.on('bot:delta', (d) => this.emit('delta', d));
    s.on('state', (state) => {
      this.state = state;
      this.emit('state', state);
    });
    s.on('queue', (q) => this.emit('queue', q));
    s.on('typing', (t) => this.emit('typing', { typing: t.typing, ...(t.name ? { name: t.name } : {}) }));
    s.on('read', (r) => this.emit('read', r.seq));
  }

  private forgetSession(): void {
    this.sessionIdValue = undefined;
    this.lastSeqValue = 0;
    this.messages.clear();
    this.storage?.removeItem(this.storageKey);
  }

  /** Sends a message; resolves with its seq once the server has stored it (retried until then). */
  async send(text: string, clientId = newClientId()): Promise<{ seq: number; clientId: string }> {
    const ack = await this.socket.emitWithAck('message:send', { clientId, text, lang: this.lang });
    return { seq: unwrap(ack).seq, clientId };
  }

  async requestHandoff(): Promise<HandoffInfo> {
    return unwrap(await this.socket.emitWithAck('handoff:request', {})).handoff;
  }

  async cancelHandoff(): Promise<CitizenState> {
    return unwrap(await this.socket.emitWithAck('handoff:cancel', {})).state;
  }

  async leaveMessage(input: LeaveMessageInput): Promise<HandoffInfo> {
    return unwrap(await this.socket.emitWithAck('ticket:leave', input)).handoff;
  }

  async rate(score: RatingScore, comment?: string): Promise<CitizenState> {
    return unwrap(await this.socket.emitWithAck('rating:submit', { score, ...(comment ? { comment } : {}) })).state;
  }

  typing(typing: boolean): void {
    if (this.socket.connected) this.socket.volatile.emit('typing', { typing });
  }

  read(seq: number): void {
    if (this.socket.connected) this.socket.emit('read', { seq });
  }

  /** Ends this conversation on this device: the next connection starts a new one. */
  reset(): void {
    this.forgetSession();
    this.socket.disconnect().connect();
  }

  close(): void {
    this.socket.disconnect();
  }
}

export { AckError };

/**
 * A navigator's socket (token from POST /api/console/login); `hello` follows the connection. Pass auth as a
 * function to report the latest lastSeqs at every reconnect (so the replay covers exactly what was missed);
 * after `server:draining` it reconnects promptly.
 */
export function connectNavigator(serverUrl: string, auth: NavigatorAuth | (() => NavigatorAuth)): NavigatorSocket {
  const socket: NavigatorSocket = io(`${serverUrl.replace(/\/$/, '')}${NAVIGATOR_NS}`, {
    path: SOCKET_IO_PATH,
    transports: ['websocket', 'polling'],
    auth: (cb) => cb((typeof auth === 'function' ? auth() : auth) as unknown as Record<string, unknown>),
    retries: 3,
    ackTimeout: 10_000,
  });
  reconnectPromptlyOnDrain(socket);
  return socket;
}

function safeLocalStorage(): KeyValueStorage | null {
  try {
    const s = globalThis.localStorage;
    const probe = '__daoban_probe__';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return null;
  }
}
