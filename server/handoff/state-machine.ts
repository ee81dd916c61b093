/**
 * The conversation state machine. Every change goes through `assertTransition` before the store's
 * compare-and-set transition, which appends the event (actor, reason, time).
 *
 *   bot ─▶ handoff-requested ─▶ queued ─▶ offered ─▶ with-navigator ─▶ wrap-up ─▶ resolved
 *                     │           │  ▲       │            │   │  │                  
 *                     ▼           │  └───────┘ (timeout,  │   │  └▶ bot (returned)   
 *                after-hours      ▼    decline, transfer) │   └▶ queued/offered (transfer, navigator gone)
 *                     │      abandoned / ticket           └▶ resolved
 *                     └▶ ticket
 */
import { DaobanError } from '../errors/catalogue.ts';
import type { ConversationState } from '../storage/handoff-store.ts';

const ALLOWED: Record<ConversationState, readonly ConversationState[]> = {
  bot: ['handoff-requested'],
  'handoff-requested': ['queued', 'after-hours', 'ticket'],
  queued: ['offered', 'with-navigator', 'abandoned', 'ticket'],
  offered: ['with-navigator', 'queued', 'abandoned', 'ticket'],
  'with-navigator': ['wrap-up', 'resolved', 'queued', 'offered', 'bot'],
  'wrap-up': ['resolved', 'bot'],
  resolved: ['handoff-requested'],
  abandoned: ['handoff-requested'],
  'after-hours': ['ticket', 'handoff-requested', 'bot'],
  ticket: ['handoff-requested'],
};

/** States in which the assistant answers the citizen. */
export const BOT_STATES: readonly ConversationState[] = ['bot', 'resolved', 'abandoned', 'after-hours', 'ticket'];
/** States in which a citizen's message waits for, or goes to, a navigator. */
export const QUEUE_STATES: readonly ConversationState[] = ['handoff-requested', 'queued', 'offered'];
/** Waiting for a person: a citizen who goes away leaves these (abandoned after a grace period, citizen-presence.ts). */
export const WAITING_STATES: readonly ConversationState[] = ['queued', 'offered'];
export const NAVIGATOR_STATES: readonly ConversationState[] = ['with-navigator', 'wrap-up'];

export function canTransition(from: ConversationState, to: ConversationState): boolean {
  return ALLOWED[from].includes(to);
}

/** Throws INVALID_TRANSITION ("Cannot <verb> a conversation that is <from>"). */
export function assertTransition(from: ConversationState, to: ConversationState, verb: string): void {
  if (!canTransition(from, to)) throw DaobanError.create('INVALID_TRANSITION', verb, from);
}

export function isBotState(s: ConversationState): boolean {
  return BOT_STATES.includes(s);
}
