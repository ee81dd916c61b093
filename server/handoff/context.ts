/**
 * What every part of the conversation service shares: the store, the clock, the knowledge base, the event
 * emitter, the cluster seam and the navigators' display names. HandoffService builds one and hands it to each part,
 * and the parts the actions are built from (HandoffParts) to those that act through them.
 */
import type { KnowledgeBase } from '../kb/knowledge-base.ts';
import type { HandoffStore } from '../storage/handoff-store.ts';
import type { Clock } from './clock.ts';
import type { ClusterPort } from './cluster.ts';
import type { CitizenStates } from './citizen-state.ts';
import type { Conversations } from './conversations.ts';
import type { Dispatcher } from './dispatch.ts';
import type { Audience, HandoffEventMap, TypedEmitter } from './events.ts';
import type { NavigatorPresence } from './navigator-presence.ts';
import type { Offers } from './offers.ts';
import type { Queue } from './queue.ts';
import type { QueueAnnouncer } from './queue-announcer.ts';

export interface Log {
  error(obj: unknown, msg: string): void;
}

export interface HandoffContext {
  readonly store: HandoffStore;
  /** The current knowledge base (skills, departments, calendar); undefined until one is loaded. */
  readonly kb: () => KnowledgeBase | undefined;
  readonly clock: Clock;
  readonly events: TypedEmitter<HandoffEventMap>;
  /** Who can hear the events on this instance (announcements nobody hears are not worked out). */
  audience(): Audience;
  readonly log: Log;
  /** Multi-instance mode (server/scale); absent when the service is alone. */
  readonly cluster?: ClusterPort;
  /** Navigators' display names by id, for summaries, tickets and what the citizen is told. */
  readonly navigatorNames: Map<string, string>;
  /** True once the service is closing: no new timers, routing or announcements. */
  closed(): boolean;
}

/** The service's parts that citizen and navigator actions, recovery and console reads act through. */
export interface HandoffParts {
  readonly conv: Conversations;
  readonly presence: NavigatorPresence;
  readonly queue: Queue;
  readonly states: CitizenStates;
  readonly offers: Offers;
  readonly dispatcher: Dispatcher;
  readonly announcer: QueueAnnouncer;
}
