/**
 * The persistence contract of the handoff capability: conversations, their messages and state events,
 * tickets, ratings, canned replies and navigator accounts. Async throughout so a PostgreSQL implementation
 * can follow the embedded SQLite one; every method is one atomic unit (persist-before-ack relies on it).
 * Times are epoch milliseconds.
 */

/** Who owns a conversation and what happens to a citizen's next message. */
export const CONVERSATION_STATES = [
  'bot', // the assistant answers
  'handoff-requested', // a person was asked for; routing decides queue or after-hours
  'queued', // waiting for a navigator with the skill
  'offered', // offered to one navigator, who must accept before the offer expires
  'with-navigator', // a navigator owns it: the bot is silent
  'wrap-up', // the navigator ended the chat and records a wrap-up code; the citizen may rate
  'resolved', // handoff finished; the bot answers again
  'abandoned', // the citizen left the queue
  'after-hours', // a person was asked for outside working hours; the citizen may leave a message
  'ticket', // the citizen left a message: a ticket carries it to the navigators
] as const;
export type ConversationState = (typeof CONVERSATION_STATES)[number];

export type Lang = 'zh' | 'en';

/** What the navigator reads before accepting: why, how sure the bot was, and what was discussed. */
export interface HandoffPacket {
  reason: string;
  confidence: number;
  itemId?: string;
  itemTitle?: string;
  summary: string;
  situation: Record<string, string>;
  requestedAt: number;
  /** Set when a navigator transferred the conversation. */
  transferNote?: string;
  transferredBy?: string;
}

export interface ConversationRecord {
  id: string;
  /** The citizen's secret: knowing it is the only way to act as the citizen. */
  sessionId: string;
  state: ConversationState;
  lang: Lang;
  itemId: string | null;
  skill: string;
  priority: number;
  /** Order within the queue (lower first) while queued or offered. */
  queueRank: number | null;
  navigatorId: string | null;
  offeredTo: string | null;
  offerExpiresAt: number | null;
  packet: HandoffPacket | null;
  lastSeq: number;
  citizenReadSeq: number;
  navigatorReadSeq: number;
  /** Bumped by every transition; transitions are compare-and-set on it. */
  version: number;
  createdAt: number;
  updatedAt: number;
  /** When the conversation first entered the queue in this handoff (waiting time is measured from it). */
  queuedAt: number | null;
  stateSince: number;
  /**
   * When a citizen socket first joined the conversation; null while the citizen has only used plain HTTP
   * (and for conversations older than this record). Restart recovery tracks only citizens who had a socket.
   */
  citizenSocketAt: number | null;
}

export type NewConversation = Pick<ConversationRecord, 'id' | 'sessionId' | 'lang' | 'skill' | 'createdAt'> & Partial<Pick<ConversationRecord, 'citizenSocketAt'>>;

/** The record of a conversation just created: with the bot, nothing said yet, every other field at its default. */
export function newConversationRecord(c: NewConversation): ConversationRecord {
  return {
    id: c.id, sessionId: c.sessionId, state: 'bot', lang: c.lang, itemId: null, skill: c.skill, priority: 0, queueRank: null,
    navigatorId: null, offeredTo: null, offerExpiresAt: null, packet: null, lastSeq: 0, citizenReadSeq: 0, navigatorReadSeq: 0,
    version: 0, createdAt: c.createdAt, updatedAt: c.createdAt, queuedAt: null, stateSince: c.createdAt, citizenSocketAt: c.citizenSocketAt ?? null,
  };
}

export type ConversationPatch = Partial<
  Pick<ConversationRecord, 'lang' | 'itemId' | 'skill' | 'priority' | 'queueRank' | 'navigatorId' | 'offeredTo' | 'offerExpiresAt' | 'packet' | 'queuedAt'>
>;

export type Sender = 'citizen' | 'bot' | 'navigator' | 'system';

export interface MessageRecord {
  conversationId: string;
  /** 1, 2, 3... per conversation, no gaps. */
  seq: number;
  sender: Sender;
  /** Client-generated id that made the send idempotent. */
  clientId: string | null;
  authorId: string | null;
  authorName: string | null;
  text: string;
  /** Structured extras: the bot's ChatReply (citations, options...), system-message codes. */
  data: unknown;
  /** For bot replies: the seq of the citizen message answered. */
  replyTo: number | null;
  createdAt: number;
}

export interface NewMessage {
  conversationId: string;
  sender: Sender;
  clientId?: string;
  authorId?: string;
  authorName?: string;
  text: string;
  data?: unknown;
  replyTo?: number;
  createdAt: number;
}

/** One appended state transition: actor is "citizen", "bot", "system" or "navigator:<id>". */
export interface EventRecord {
  conversationId: string;
  version: number;
  from: ConversationState;
  to: ConversationState;
  actor: string;
  reason: string;
  data: unknown;
  at: number;
}

export interface TransitionInput {
  to: ConversationState;
  patch?: ConversationPatch;
  actor: string;
  reason: string;
  data?: unknown;
  at: number;
}

export interface NoteRecord {
  id: string;
  conversationId: string;
  navigatorId: string;
  authorName: string;
  text: string;
  createdAt: number;
}

export type TicketStatus = 'open' | 'claimed' | 'closed';

export interface TicketRecord {
  id: string;
  /** Human-readable reference told to the citizen, e.g. "LY20250101-0007". */
  ref: string;
  conversationId: string | null;
  status: TicketStatus;
  name: string | null;
  phone: string | null;
  email: string | null;
  question: string;
  departmentId: string | null;
  skill: string;
  summary: string | null;
  claimedBy: string | null;
  claimedAt: number | null;
  closedAt: number | null;
  closeNote: string | null;
  createdAt: number;
}

export type NewTicket = Omit<TicketRecord, 'ref' | 'status' | 'claimedBy' | 'claimedAt' | 'closedAt' | 'closeNote'>;

/** One stretch of a navigator owning a conversation; handling times feed the wait estimate. */
export interface HandlingRecord {
  id: string;
  conversationId: string;
  navigatorId: string;
  skill: string;
  acceptedAt: number;
  endedAt: number | null;
  outcome: string | null;
  wrapCode: string | null;
  wrapNote: string | null;
}

export type RatingScore = 'good' | 'average' | 'bad';

export interface RatingRecord {
  handlingId: string;
  conversationId: string;
  navigatorId: string;
  score: RatingScore;
  comment: string | null;
  createdAt: number;
}

export interface CannedReplyRecord {
  id: string;
  title: string;
  text: string;
  /** Limited to one skill's navigators, or null for everyone. */
  skill: string | null;
  updatedAt: number;
  updatedBy: string | null;
}

export type NavigatorRole = 'navigator' | 'supervisor';

export interface NavigatorRecord {
  id: string;
  username: string;
  name: string;
  passwordHash: string;
  role: NavigatorRole;
  skills: string[];
  capacity: number;
  active: boolean;
  createdAt: number;
}

export interface SessionRecord {
  navigatorId: string;
  createdAt: number;
  expiresAt: number;
}

export interface HandoffStore {
  // conversations
  createConversation(c: NewConversation): Promise<ConversationRecord>;
  getConversation(id: string): Promise<ConversationRecord | undefined>;
  getConversationBySession(sessionId: string): Promise<ConversationRecord | undefined>;
  listConversations(filter: { states?: readonly ConversationState[]; navigatorId?: string }): Promise<readonly ConversationRecord[]>;
  /** Compare-and-set on version: applies the change and appends its event, or returns undefined if someone else moved first. */
  transition(id: string, expectedVersion: number, change: TransitionInput): Promise<ConversationRecord | undefined>;
  /** Non-state facts learnt along the way (item discussed, language); no event. */
  updateConversation(id: string, patch: Pick<ConversationPatch, 'lang' | 'itemId' | 'skill'>, at: number): Promise<void>;
  /** Raises the read mark of one side (never lowers it); returns the new mark. */
  markRead(id: string, side: 'citizen' | 'navigator', seq: number): Promise<number>;
  /** Records that a citizen socket joined (the first time counts; later calls change nothing); no event. */
  markCitizenSocket(id: string, at: number): Promise<void>;
  listEvents(conversationId: string): Promise<EventRecord[]>;

  // messages
  /** Assigns the next seq atomically; a repeated (sender, author, clientId) returns the stored message. */
  appendMessage(m: NewMessage): Promise<{ message: MessageRecord; duplicate: boolean }>;
  listMessages(conversationId: string, afterSeq?: number, limit?: number): Promise<MessageRecord[]>;
  findReply(conversationId: string, replyTo: number): Promise<MessageRecord | undefined>;

  // notes
  addNote(n: NoteRecord): Promise<{ note: NoteRecord; duplicate: boolean }>;
  listNotes(conversationId: string): Promise<NoteRecord[]>;

  // handlings and ratings
  startHandling(h: Pick<HandlingRecord, 'id' | 'conversationId' | 'navigatorId' | 'skill' | 'acceptedAt'>): Promise<void>;
  endHandling(id: string, end: { endedAt: number; outcome: string; wrapCode?: string; wrapNote?: string }): Promise<void>;
  openHandling(conversationId: string): Promise<HandlingRecord | undefined>;
  lastHandling(conversationId: string): Promise<HandlingRecord | undefined>;
  /** Durations (ms) of the most recent finished handlings, newest first; of one skill when given. */
  recentHandleTimes(limit: number, skill?: string): Promise<number[]>;
  addRating(r: RatingRecord): Promise<boolean>;
  getRating(handlingId: string): Promise<RatingRecord | undefined>;
  listRatings(conversationId: string): Promise<RatingRecord[]>;

  // tickets
  createTicket(t: NewTicket): Promise<TicketRecord>;
  getTicket(id: string): Promise<TicketRecord | undefined>;
  listTickets(filter: { status?: TicketStatus; skills?: readonly string[]; conversationId?: string }): Promise<TicketRecord[]>;
  /** Atomic: only an open ticket can be claimed. */
  claimTicket(id: string, navigatorId: string, at: number): Promise<TicketRecord | undefined>;
  closeTicket(id: string, note: string | null, at: number): Promise<TicketRecord | undefined>;

  // canned replies
  listCanned(): Promise<CannedReplyRecord[]>;
  saveCanned(r: CannedReplyRecord): Promise<void>;
  deleteCanned(id: string): Promise<boolean>;

  /**
   * Records a one-time step by name (e.g. seeding the default canned replies): true for the first caller only,
   * ever, across restarts and instances.
   */
  claimOnce(name: string, at: number): Promise<boolean>;

  // navigators and sessions
  createNavigator(n: NavigatorRecord): Promise<void>;
  updateNavigator(id: string, patch: Partial<Pick<NavigatorRecord, 'name' | 'passwordHash' | 'role' | 'skills' | 'capacity' | 'active'>>): Promise<void>;
  getNavigator(id: string): Promise<NavigatorRecord | undefined>;
  getNavigatorByUsername(username: string): Promise<NavigatorRecord | undefined>;
  listNavigators(): Promise<NavigatorRecord[]>;
  createSession(tokenHash: string, s: SessionRecord): Promise<void>;
  getSession(tokenHash: string): Promise<SessionRecord | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteExpiredSessions(now: number): Promise<number>;

  close(): Promise<void>;
}
