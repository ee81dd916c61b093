/**
 * The data the handoff capability shows to its clients (citizen widget, navigator console), over socket.io
 * and HTTP alike. Times are ISO strings. Internal records live in server/storage/handoff-store.ts.
 */
import type { Citation, ReplyOption, ReplyStatus } from '../assistant/reply.ts';
import type { HandoffInfo } from '../assistant/types.ts';
import type { ConversationState, Lang, NavigatorRole, RatingScore, Sender, TicketStatus } from '../storage/handoff-store.ts';

export type { ConversationState, Lang, NavigatorRole, RatingScore, Sender, TicketStatus, HandoffInfo, Citation };

/** A bot turn's structured reply, kept with the transcript so navigators see what the citizen was told and why. */
export interface BotTurn {
  status: ReplyStatus;
  citations: Citation[];
  options?: ReplyOption[];
  confidence: number;
  intent?: string;
  item?: { id: string; title: string };
  suggestions: string[];
}

/** System message codes (the text is already localised; clients may style by code). */
export type SystemEvent =
  | 'handoff-queued' | 'navigator-joined' | 'navigator-left' | 'transferred' | 'returned-to-bot' | 'chat-ended'
  | 'after-hours' | 'ticket-created' | 'abandoned';

export interface MessageView {
  conversationId: string;
  /** Per-conversation sequence number: 1, 2, 3... without gaps. */
  seq: number;
  sender: Sender;
  text: string;
  at: string;
  /** The sender's client-generated id (idempotency key), echoed so the sender can match its pending send. */
  clientId?: string;
  authorName?: string;
  /** Bot turns: the citizen message (seq) this answers. */
  replyTo?: number;
  bot?: BotTurn;
  event?: SystemEvent;
}

/** Queue standing told to a waiting citizen. */
export interface QueueStatus {
  position: number;
  /** Minutes; absent when no navigator who could take the conversation is online. */
  waitMinutes?: { min: number; max: number };
  navigatorsOnline: number;
  waitingSince: string;
}

/** Everything the citizen's widget needs to render the conversation's current mode. */
export interface CitizenState {
  state: ConversationState;
  /** Who answers the next message. */
  responder: 'bot' | 'queue' | 'navigator';
  handoff?: HandoffInfo;
  queue?: QueueStatus;
  navigatorName?: string;
  /** The citizen may rate the last navigator (好差评). */
  canRate: boolean;
  lastSeq: number;
  /** Highest seq the navigator has read (read receipts). */
  navigatorReadSeq: number;
  lang: Lang;
}

export interface SituationAnswer {
  questionId: string;
  optionId: string;
  question?: string;
  answer?: string;
}

/** What the navigator reads before and while serving: why, how sure the bot was, the item, the citizen's situation. */
export interface HandoffPacketView {
  reason: string;
  reasonLabel: string;
  confidence: number;
  itemId?: string;
  itemTitle?: string;
  summary: string;
  situation: SituationAnswer[];
  requestedAt: string;
  transferNote?: string;
  transferredBy?: string;
  department?: { id: string; name: string; hotline?: string };
}

export interface ConversationSummary {
  id: string;
  state: ConversationState;
  skill: string;
  priority: number;
  lang: Lang;
  itemId?: string;
  itemTitle?: string;
  navigatorId?: string;
  navigatorName?: string;
  offeredTo?: string;
  offerExpiresAt?: string;
  waitingSince?: string;
  lastSeq: number;
  citizenReadSeq: number;
  navigatorReadSeq: number;
  packet?: HandoffPacketView;
  stateSince: string;
  updatedAt: string;
}

/** A row of the supervisors' monitor: a conversation with a navigator (offered to one, in service, in wrap-up). */
export interface MonitoredConversation {
  /** Who serves it (`navigatorName`) or is offered it (`offeredTo`), the citizen's service item and skill. */
  conversation: ConversationSummary;
  /** When the citizen asked for a person (kept across transfers): how long the handoff has been going. */
  since: string;
  /** Time of the newest message; left out of live changes, where every `message` brings its own time. */
  lastMessageAt?: string;
}

/** A monitor row changed (`entry`), or the conversation is no longer with a navigator (no `entry`). */
export interface MonitorChange {
  conversationId: string;
  entry?: MonitoredConversation;
}

export interface NoteView {
  id: string;
  conversationId: string;
  navigatorId: string;
  authorName: string;
  text: string;
  at: string;
}

export interface EventView {
  version: number;
  from: ConversationState;
  to: ConversationState;
  actor: string;
  reason: string;
  data?: unknown;
  at: string;
}

export interface RatingView {
  score: RatingScore;
  comment?: string;
  navigatorId: string;
  at: string;
}

export interface ConversationDetail {
  conversation: ConversationSummary;
  /** The whole transcript, bot turns included with their citations. */
  messages: MessageView[];
  /** Internal notes: never sent to the citizen. */
  notes: NoteView[];
  events: EventView[];
  ratings: RatingView[];
  tickets: TicketView[];
}

export interface QueueEntry {
  conversationId: string;
  skill: string;
  priority: number;
  position: number;
  state: 'queued' | 'offered';
  offeredTo?: string;
  waitingSince: string;
  waitingMs: number;
  reason?: string;
  itemTitle?: string;
  summary?: string;
}

export interface SkillQueue {
  skill: string;
  waiting: QueueEntry[];
  longestWaitMs: number;
  navigatorsOnline: number;
  totalSlots: number;
  freeSlots: number;
}

export interface QueueSnapshot {
  at: string;
  skills: SkillQueue[];
}

export type NavigatorStatus = 'available' | 'away' | 'offline';

/** Why a navigator's status changed: a socket came or went, they set it, or an offer to them went unanswered. */
export type NavigatorStatusCause = 'connected' | 'disconnected' | 'set' | 'offer-unanswered';

export interface NavigatorView {
  id: string;
  username: string;
  name: string;
  role: NavigatorRole;
  skills: string[];
  capacity: number;
  status: NavigatorStatus;
  /** Conversations held or offered right now. */
  load: number;
}

export interface OfferView {
  conversation: ConversationSummary;
  expiresAt: string;
  /** Set when another navigator transferred the conversation to this one. */
  transferredBy?: string;
}

export interface TicketView {
  id: string;
  ref: string;
  status: TicketStatus;
  conversationId?: string;
  name?: string;
  phone?: string;
  email?: string;
  question: string;
  department?: { id: string; name: string; hotline?: string };
  skill: string;
  summary?: string;
  claimedBy?: string;
  claimedByName?: string;
  claimedAt?: string;
  closedAt?: string;
  closeNote?: string;
  createdAt: string;
}

export interface CannedReplyView {
  id: string;
  title: string;
  text: string;
  skill?: string;
  updatedAt: string;
}

/** Agent assist: a reply drafted from the knowledge base, with the source it rests on. */
export interface Suggestion {
  text: string;
  citation?: Citation;
}

export type SuggestFn = (question: string) => Promise<Array<{ text: string; citation?: Citation }>>;

export interface WrapUpCode {
  code: string;
  label: string;
  labelEn: string;
}

/** Contact and question left by a citizen (after hours, or as a way out of the queue). */
export interface LeaveMessageInput {
  name?: string;
  phone?: string;
  email?: string;
  /** Defaults to the citizen's last question. */
  question?: string;
}

export type TransferTarget = { navigatorId: string } | { skill: string };

export interface LoginResult {
  token: string;
  expiresAt: string;
  navigator: NavigatorView;
}
