/**
 * The console's state and how server events change it. Messages are kept per conversation by seq, so a
 * replayed or re-delivered message replaces itself instead of appearing twice; sends waiting for their ack
 * are kept by clientId and disappear when the stored message (carrying the same clientId) arrives.
 */
import { emptyMonitor, type MonitorState } from './monitor-model.ts';
import type {
  CannedReplyView, ConversationDetail, ConversationSummary, EventView, MessageView, NavigatorHello, NavigatorStatus, NavigatorView, NoteView,
  OfferView, QueueSnapshot, RatingView, Suggestion, TicketView, WrapUpCode,
} from './protocol.ts';

export interface PendingSend {
  clientId: string;
  text: string;
  at: string;
  failed?: string;
}

export interface AssistState {
  loading: boolean;
  question?: string;
  suggestions: Suggestion[];
  error?: string;
  /** The last message seq the suggestions were computed for. */
  forSeq: number;
}

export interface ConversationView {
  summary: ConversationSummary;
  messages: Map<number, MessageView>;
  pending: Map<string, PendingSend>;
  notes: Map<string, NoteView>;
  events: EventView[];
  ratings: RatingView[];
  tickets: TicketView[];
  /** The full transcript has been loaded (conversation:open). */
  loaded: boolean;
  citizenTyping: boolean;
  assist?: AssistState;
  draft: string;
  noteDraft: string;
}

/** 'monitor' is for supervisors only. */
export type MainView = 'conversations' | 'tickets' | 'team' | 'monitor';
export type SideTab = 'packet' | 'assist' | 'canned' | 'notes' | 'history';
export type TicketFilter = 'open' | 'claimed' | 'closed';

export interface ConsoleState {
  token: string;
  me: NavigatorView;
  status: NavigatorStatus;
  connection: 'connecting' | 'online' | 'offline';
  queue?: QueueSnapshot;
  /** Server clock minus local clock (ms), from the queue snapshots: offer countdowns use server time. */
  skewMs: number;
  conversations: Map<string, ConversationView>;
  offers: Map<string, OfferView>;
  selectedId?: string;
  view: MainView;
  sideTab: SideTab;
  noteMode: boolean;
  tickets: TicketView[];
  ticketFilter: TicketFilter;
  openTickets: number;
  navigators: NavigatorView[];
  canned: CannedReplyView[];
  wrapUpCodes: WrapUpCode[];
  sessionExpiresAt?: string;
  /** Supervisors: the conversations with a navigator, while the monitor view is open. */
  monitor: MonitorState;
}

export function initialState(token: string, me: NavigatorView): ConsoleState {
  return {
    token, me, status: 'offline', connection: 'connecting', skewMs: 0, conversations: new Map(), offers: new Map(),
    view: 'conversations', sideTab: 'packet', noteMode: false, tickets: [], ticketFilter: 'open', openTickets: 0,
    navigators: [], canned: [], wrapUpCodes: [], monitor: emptyMonitor(),
  };
}

export function conversation(state: ConsoleState, summary: ConversationSummary): ConversationView {
  let c = state.conversations.get(summary.id);
  if (!c) {
    c = {
      summary, messages: new Map(), pending: new Map(), notes: new Map(), events: [], ratings: [], tickets: [], loaded: false,
      citizenTyping: false, draft: '', noteDraft: '',
    };
    state.conversations.set(summary.id, c);
  } else if (summary.updatedAt >= c.summary.updatedAt) {
    c.summary = summary;
  }
  return c;
}

/** A conversation's full record (`conversation:open`, `monitor:open`) merged into its view: never doubled, nothing lost. */
export function applyDetail(state: ConsoleState, detail: ConversationDetail): ConversationView {
  const c = conversation(state, detail.conversation);
  c.summary = detail.conversation;
  addMessages(c, detail.messages);
  addNotes(c, detail.notes);
  c.events = detail.events;
  c.ratings = detail.ratings;
  c.tickets = detail.tickets;
  c.loaded = true;
  return c;
}

export function addMessages(c: ConversationView, messages: MessageView[]): number {
  let added = 0;
  for (const m of messages) {
    if (!c.messages.has(m.seq)) added++;
    c.messages.set(m.seq, m);
    if (m.clientId) c.pending.delete(m.clientId);
    if (m.seq > c.summary.lastSeq) c.summary = { ...c.summary, lastSeq: m.seq };
    if (m.sender === 'citizen') c.citizenTyping = false;
  }
  return added;
}

export function addNotes(c: ConversationView, notes: NoteView[]): void {
  for (const n of notes) c.notes.set(n.id, n);
}

export function sortedMessages(c: ConversationView): MessageView[] {
  return [...c.messages.values()].sort((a, b) => a.seq - b.seq);
}

export function lastSeqOf(c: ConversationView): number {
  let max = 0;
  for (const seq of c.messages.keys()) if (seq > max) max = seq;
  return max;
}

/** Conversations this navigator holds (in service or in wrap-up), newest activity first. */
export function mine(state: ConsoleState): ConversationView[] {
  return [...state.conversations.values()]
    .filter((c) => c.summary.navigatorId === state.me.id && (c.summary.state === 'with-navigator' || c.summary.state === 'wrap-up'))
    .sort((a, b) => (a.summary.stateSince < b.summary.stateSince ? -1 : 1));
}

export function unread(c: ConversationView): number {
  let n = 0;
  for (const m of c.messages.values()) if (m.sender === 'citizen' && m.seq > c.summary.navigatorReadSeq) n++;
  return n;
}

export function isHeldBy(state: ConsoleState, c: ConversationView | undefined): boolean {
  return Boolean(c && c.summary.navigatorId === state.me.id && (c.summary.state === 'with-navigator' || c.summary.state === 'wrap-up'));
}

/** Applies `hello` (first connect and every reconnect): the server's view replaces ours, replayed messages fill gaps. */
export function applyHello(state: ConsoleState, hello: NavigatorHello): void {
  state.me = hello.navigator;
  state.status = hello.navigator.status;
  state.queue = hello.queue;
  state.skewMs = Date.parse(hello.queue.at) - Date.now();
  state.openTickets = hello.openTickets;
  state.wrapUpCodes = hello.wrapUpCodes;
  state.sessionExpiresAt = hello.sessionExpiresAt;
  state.offers.clear();
  const current = new Set(hello.conversations.map((s) => s.id));
  for (const c of state.conversations.values()) {
    // Something we held and the server no longer lists as ours changed while we were away: reload it when opened.
    if (!current.has(c.summary.id) && c.summary.navigatorId === state.me.id) c.loaded = false;
  }
  for (const s of hello.conversations) {
    conversation(state, s).summary = s;
    if (s.state === 'offered' && s.offeredTo === state.me.id && s.offerExpiresAt) {
      state.offers.set(s.id, { conversation: s, expiresAt: s.offerExpiresAt, ...(s.packet?.transferredBy ? { transferredBy: s.packet.transferredBy } : {}) });
    }
  }
  for (const r of hello.replay) {
    const c = state.conversations.get(r.conversationId);
    if (c) addMessages(c, r.messages);
  }
}

export function applySummary(state: ConsoleState, s: ConversationSummary): void {
  const c = conversation(state, s);
  c.summary = s;
  if (!(s.state === 'offered' && s.offeredTo === state.me.id)) state.offers.delete(s.id);
}

export function upsertTicket(state: ConsoleState, ticket: TicketView): void {
  const i = state.tickets.findIndex((x) => x.id === ticket.id);
  if (ticket.status === state.ticketFilter) {
    if (i >= 0) state.tickets[i] = ticket;
    else state.tickets.unshift(ticket);
  } else if (i >= 0) {
    state.tickets.splice(i, 1);
  }
}
