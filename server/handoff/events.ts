/**
 * What the conversation service tells the realtime layer (server/realtime routes each event to the right rooms),
 * and the small typed emitter that carries it.
 */
import { EventEmitter } from 'node:events';
import type { ConversationRecord } from '../storage/handoff-store.ts';
import type {
  CitizenState, ConversationSummary, MessageView, NavigatorStatus, NavigatorStatusCause, NoteView, OfferView, QueueSnapshot, QueueStatus, TicketView,
} from './types.ts';

/** What the service tells the realtime layer; it routes each to the right rooms. */
export interface HandoffEventMap {
  message: [conv: ConversationRecord, message: MessageView];
  'bot-delta': [conv: ConversationRecord, delta: { replyTo: number; chunk: string; reset?: boolean }];
  /** The conversation changed state; `navigators` lists every navigator who should hear of it (old and new holders). */
  state: [conv: ConversationRecord, citizen: CitizenState, summary: ConversationSummary, navigators: string[]];
  queue: [snapshot: QueueSnapshot];
  'queue-position': [conv: ConversationRecord, status: QueueStatus];
  offer: [navigatorId: string, offer: OfferView];
  'offer-withdrawn': [navigatorId: string, info: { conversationId: string; reason: string }];
  note: [conv: ConversationRecord, note: NoteView];
  typing: [conv: ConversationRecord, info: { from: 'citizen' | 'navigator'; typing: boolean; name?: string }];
  read: [conv: ConversationRecord, info: { by: 'citizen' | 'navigator'; seq: number }];
  ticket: [ticket: TicketView];
  'navigator-status': [navigatorId: string, status: NavigatorStatus, cause: NavigatorStatusCause];
  /** A waiting citizen's last socket closed: their place is kept for `graceMs`, then the conversation is abandoned. */
  'citizen-away': [conversationId: string, graceMs: number];
  /** A canned reply was saved or deleted; `skills` are its skill before and after (null: shared with everyone). */
  'canned-changed': [change: { id: string; skills: Array<string | null> }];
}

/**
 * Who can hear the announcements made on this instance. The realtime layer knows its sockets and tells the
 * service (HandoffService.setAudience); without it, anyone might be listening. Someone who connects later is
 * sent the current state then, so an announcement nobody hears need not be worked out.
 */
export interface Audience {
  /** A navigator's console is connected here. */
  navigators(): boolean;
  /** The citizen of this conversation has a socket connected here. */
  citizen(conversationId: string): boolean;
}

export const ANYONE: Audience = { navigators: () => true, citizen: () => true };

export class TypedEmitter<E extends { [K in keyof E]: unknown[] }> {
  private readonly ee = new EventEmitter({ captureRejections: false });
  constructor() {
    this.ee.setMaxListeners(0);
  }
  on<K extends keyof E & string>(event: K, fn: (...args: E[K]) => void): () => void {
    this.ee.on(event, fn as (...a: unknown[]) => void);
    return () => this.ee.off(event, fn as (...a: unknown[]) => void);
  }
  emit<K extends keyof E & string>(event: K, ...args: E[K]): void {
    this.ee.emit(event, ...args);
  }
}
