/**
 * The realtime protocol: ONE typed event map shared by the server, the citizen widget and the navigator console
 * (socket.io typed events: `new Server<ClientToServer, ServerToClient>()`, `io<ServerToClient, ClientToServer>()`).
 * Type-only: importing this file pulls no server code into a client bundle.
 *
 * Two namespaces:
 *   /citizen    handshake auth { sessionId?, lastSeq? }. Without a sessionId a new conversation is opened; its
 *               sessionId (the citizen's secret) arrives in `sync` — keep it (localStorage) to resume after a reload.
 *   /navigator  handshake auth { token, status?, lastSeqs? } with the token from POST /api/console/login.
 *               Rejected (connect_error "DB_UNAUTHORIZED" / "DB_SESSION_EXPIRED") without a valid session.
 *
 * Delivery: every message has a per-conversation `seq` (1, 2, 3...). Sends carry a client-generated `clientId`
 * and are acknowledged once persisted; retrying with the same clientId never stores twice (use socket.io's
 * `retries` + `ackTimeout`). On (re)connect pass the last seq seen; the server replays what was missed in `sync`
 * together with the current state, so no server-side packet buffer is needed.
 *
 * Every ack is an `Ack<T>`: `{ ok: true, ...T }` or `{ ok: false, error: { code, message } }` (codes from the
 * error catalogue, e.g. DB_ALREADY_CLAIMED, DB_INVALID_FIELD).
 */
import type { ChatReply } from '../assistant/reply.ts';
import type {
  CannedReplyView, CitizenState, ConversationDetail, ConversationSummary, HandoffInfo, LeaveMessageInput, MessageView,
  MonitorChange, MonitoredConversation, NavigatorStatus, NavigatorStatusCause, NavigatorView, NoteView, OfferView, QueueSnapshot, QueueStatus, RatingScore, Suggestion, TicketView,
  TransferTarget, WrapUpCode,
} from '../handoff/types.ts';

export type * from '../handoff/types.ts';

export const CITIZEN_NAMESPACE = '/citizen';
export const NAVIGATOR_NAMESPACE = '/navigator';
/** socket.io path on the service's HTTP server. */
export const SOCKET_PATH = '/socket.io';

export interface ErrorBody {
  code: string;
  message: string;
}

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ErrorBody };
export type AckFn<T extends object = object> = (response: Ack<T>) => void;

// -------------------------------------------------------------------------------------------------
// /citizen
// -------------------------------------------------------------------------------------------------

export interface CitizenAuth {
  /** Omit to open a new conversation. An unknown sessionId is refused (connect_error DB_UNKNOWN_SESSION). */
  sessionId?: string;
  /** Highest seq already shown; `sync` replays everything after it (0 or omitted: the whole transcript). */
  lastSeq?: number;
  lang?: 'zh' | 'en';
}

/** Sent on connect and in answer to `sync`: the missed messages and the conversation's current mode. */
export interface CitizenSync {
  sessionId: string;
  messages: MessageView[];
  state: CitizenState;
}

export interface CitizenClientToServer {
  /** Send a message. Ack once persisted, with its seq; the bot's answer (if the bot has the conversation) follows as `message`. */
  'message:send': (payload: { clientId: string; text: string; lang?: 'zh' | 'en' }, ack: AckFn<{ seq: number; duplicate: boolean }>) => void;
  /** Ask for a person directly ("转人工" button). */
  'handoff:request': (payload: Record<string, never>, ack: AckFn<{ handoff: HandoffInfo }>) => void;
  /** Leave the queue (or, after hours, decline to leave a message). */
  'handoff:cancel': (payload: Record<string, never>, ack: AckFn<{ state: CitizenState }>) => void;
  /** Leave a message: contact (phone or email) and question become a ticket with a reference number. */
  'ticket:leave': (payload: LeaveMessageInput, ack: AckFn<{ handoff: HandoffInfo }>) => void;
  /** 好差评 for the navigator who served the citizen. */
  'rating:submit': (payload: { score: RatingScore; comment?: string }, ack: AckFn<{ state: CitizenState }>) => void;
  /** Typing indicator (not persisted). */
  typing: (payload: { typing: boolean }) => void;
  /** Read receipt: the citizen has seen every message up to seq. */
  read: (payload: { seq: number }, ack?: AckFn<{ seq: number }>) => void;
  /** Re-synchronise explicitly (e.g. after the tab was in the background). */
  sync: (payload: { lastSeq: number }, ack: AckFn<CitizenSync>) => void;
}

export interface CitizenServerToClient {
  sync: (payload: CitizenSync) => void;
  /** A new message in the conversation (the citizen's own, the bot's, a navigator's, or a system notice). */
  message: (message: MessageView) => void;
  /**
   * Streaming text of the bot's answer to the citizen message `replyTo`; the full `message` follows.
   * `reset: true` means: discard the text streamed so far for this reply, the replacement follows.
   */
  'bot:delta': (payload: { replyTo: number; chunk: string; reset?: boolean }) => void;
  /** The conversation changed mode (bot / queue / navigator, rating possible...). */
  state: (state: CitizenState) => void;
  /** Queue position and honest wait range, whenever they change. */
  queue: (status: QueueStatus) => void;
  typing: (payload: { from: 'navigator'; typing: boolean; name?: string }) => void;
  /** The navigator has read up to seq. */
  read: (payload: { by: 'navigator'; seq: number }) => void;
  /** This instance is shutting down: the connection closes next and the client reconnects (to another instance, with its last seq). */
  'server:draining': (payload: DrainingNotice) => void;
}

// -------------------------------------------------------------------------------------------------
// /navigator
// -------------------------------------------------------------------------------------------------

export interface NavigatorAuth {
  token: string;
  /** Initial availability for offers (default "available"). */
  status?: 'available' | 'away';
  /** Last seq seen per conversation: `hello` replays what was missed in those conversations. */
  lastSeqs?: Record<string, number>;
}

export interface NavigatorHello {
  navigator: NavigatorView;
  queue: QueueSnapshot;
  /** Held and offered conversations. */
  conversations: ConversationSummary[];
  /** Messages missed in the conversations named in auth.lastSeqs (and every held conversation not named: from 0). */
  replay: Array<{ conversationId: string; messages: MessageView[] }>;
  openTickets: number;
  wrapUpCodes: WrapUpCode[];
  sessionExpiresAt: string;
}

type ConvRef = { conversationId: string };

export interface NavigatorClientToServer {
  'status:set': (payload: { status: 'available' | 'away' }, ack: AckFn<{ status: NavigatorStatus }>) => void;
  'queue:get': (payload: Record<string, never>, ack: AckFn<{ queue: QueueSnapshot }>) => void;
  'conversations:mine': (payload: Record<string, never>, ack: AckFn<{ conversations: ConversationSummary[] }>) => void;
  /** Accept an offer, or pick a waiting conversation from a queue the navigator serves. Exactly one navigator wins. */
  'conversation:accept': (payload: ConvRef, ack: AckFn<{ conversation: ConversationSummary }>) => void;
  'conversation:decline': (payload: ConvRef, ack: AckFn) => void;
  /** Full transcript (bot turns with citations), handoff packet, notes, events, ratings, tickets. Also subscribes to its live events. */
  'conversation:open': (payload: ConvRef, ack: AckFn<{ detail: ConversationDetail }>) => void;
  'conversation:close-view': (payload: ConvRef) => void;
  'message:send': (payload: ConvRef & { clientId: string; text: string }, ack: AckFn<{ message: MessageView }>) => void;
  /** Internal note: never sent to the citizen. */
  'note:add': (payload: ConvRef & { text: string; clientId?: string }, ack: AckFn<{ note: NoteView }>) => void;
  typing: (payload: ConvRef & { typing: boolean }) => void;
  read: (payload: ConvRef & { seq: number }, ack?: AckFn<{ seq: number }>) => void;
  'conversation:transfer': (payload: ConvRef & { to: TransferTarget; note?: string }, ack: AckFn<{ conversation: ConversationSummary }>) => void;
  'conversation:return-to-bot': (payload: ConvRef & { code?: string; note?: string }, ack: AckFn<{ conversation: ConversationSummary }>) => void;
  /** End the chat: the citizen is asked to rate; the conversation waits for the wrap-up. */
  'conversation:end': (payload: ConvRef, ack: AckFn<{ conversation: ConversationSummary }>) => void;
  'conversation:wrap-up': (payload: ConvRef & { code: string; note?: string }, ack: AckFn<{ conversation: ConversationSummary }>) => void;
  /** Agent assist: KB-drafted replies for the citizen's last question. */
  'assist:suggest': (payload: ConvRef, ack: AckFn<{ question?: string; suggestions: Suggestion[] }>) => void;
  /** Replay after lastSeq for one conversation. */
  sync: (payload: ConvRef & { lastSeq: number }, ack: AckFn<{ conversation: ConversationSummary; messages: MessageView[] }>) => void;
  'canned:list': (payload: Record<string, never>, ack: AckFn<{ replies: CannedReplyView[] }>) => void;
  'tickets:list': (payload: { status?: 'open' | 'claimed' | 'closed' }, ack: AckFn<{ tickets: TicketView[] }>) => void;
  'ticket:claim': (payload: { ticketId: string }, ack: AckFn<{ ticket: TicketView }>) => void;
  'ticket:close': (payload: { ticketId: string; note?: string }, ack: AckFn<{ ticket: TicketView }>) => void;
  'navigators:list': (payload: Record<string, never>, ack: AckFn<{ navigators: NavigatorView[] }>) => void;
  /**
   * Supervisors only (anyone else: DB_FORBIDDEN). Every conversation with a navigator (offered, in service, in
   * wrap-up) on any instance; from now until `monitor:stop` (or a reconnect) `monitor:conversation` tells each
   * change, and the `message`s of those conversations arrive too (for their last-message time).
   */
  'monitor:list': (payload: Record<string, never>, ack: AckFn<{ conversations: MonitoredConversation[] }>) => void;
  'monitor:stop': (payload: Record<string, never>) => void;
  /**
   * Supervisors only (anyone else: DB_FORBIDDEN). A conversation's full record, read-only, and its live events as
   * with `conversation:open` until `conversation:close-view`. Claims nothing, moves no read mark and tells neither
   * the navigator nor the citizen.
   */
  'monitor:open': (payload: ConvRef, ack: AckFn<{ detail: ConversationDetail }>) => void;
}

export interface NavigatorServerToClient {
  hello: (payload: NavigatorHello) => void;
  /** The queue by skill (waiting times, capacity), whenever it changes. */
  queue: (snapshot: QueueSnapshot) => void;
  /** A conversation is offered to this navigator until expiresAt; accept with `conversation:accept`. */
  offer: (offer: OfferView) => void;
  'offer:withdrawn': (payload: { conversationId: string; reason: string }) => void;
  /** A conversation this navigator holds, was offered, or has open changed state. */
  conversation: (summary: ConversationSummary) => void;
  message: (message: MessageView) => void;
  note: (note: NoteView) => void;
  typing: (payload: { conversationId: string; from: 'citizen'; typing: boolean }) => void;
  read: (payload: { conversationId: string; by: 'citizen'; seq: number }) => void;
  ticket: (ticket: TicketView) => void;
  /**
   * A canned reply was created, edited or deleted (told to every navigator who could see it before or after):
   * fetch the list again with `canned:list`, which holds only the replies this navigator may see.
   */
  'canned:changed': (payload: { id: string }) => void;
  /** To supervisors monitoring (`monitor:list`): a conversation's row changed, or it left the navigators (no `entry`). */
  'monitor:conversation': (change: MonitorChange) => void;
  /** This navigator's own availability changed, and why (e.g. set to away after an unanswered offer). */
  status: (payload: { status: NavigatorStatus; cause: NavigatorStatusCause }) => void;
  /** The login session expired: log in again. */
  'session:expired': () => void;
  /** This instance is shutting down: the connection closes next and the console reconnects (with its lastSeqs). */
  'server:draining': (payload: DrainingNotice) => void;
}

/**
 * Sent before an instance closes its connections (deploys, scale-in). Nothing is lost: sends not yet acknowledged
 * are retried with the same clientId, and the reconnect handshake's lastSeq(s) replay what was missed.
 */
export interface DrainingNotice {
  instance: string;
}

/** What the HTTP chat API returns is the same ChatReply the assistant produces. */
export type { ChatReply };
