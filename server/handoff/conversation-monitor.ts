/**
 * Supervisor monitoring: the conversations currently with a navigator, and the full record of any one, read
 * without touching it: nothing is claimed, no read mark moves, neither the navigator nor the citizen is told.
 * Supervisors only; anyone else gets 403 DB_FORBIDDEN. The live side (rooms, events) is in server/realtime.
 */
import { DaobanError } from '../errors/catalogue.ts';
import {
  CONVERSATION_STATES, type ConversationRecord, type ConversationState, type HandoffStore, type NavigatorRecord,
} from '../storage/handoff-store.ts';
import { canTransition } from './state-machine.ts';
import type { ConversationDetail, ConversationSummary, MonitorChange, MonitoredConversation } from './types.ts';

/** With a navigator: offered to one (a new offer or a transfer), in service, or in wrap-up. */
export const MONITORED_STATES: readonly ConversationState[] = ['offered', 'with-navigator', 'wrap-up'];

/** States a monitored conversation can move to without staying monitored: entering one takes its row off. */
const LEAVING_STATES: readonly ConversationState[] = CONVERSATION_STATES.filter(
  (to) => !MONITORED_STATES.includes(to) && MONITORED_STATES.some((from) => canTransition(from, to)),
);

export const isMonitored = (state: ConversationState): boolean => MONITORED_STATES.includes(state);

/** What the monitor reads through; the conversation service (HandoffService) is one. */
export interface MonitorSource {
  readonly store: Pick<HandoffStore, 'listConversations' | 'listMessages'>;
  summary(c: ConversationRecord): ConversationSummary;
  conversationDetail(nav: NavigatorRecord, conversationId: string): Promise<ConversationDetail>;
}

/** Stateless; the conversation service holds one (HandoffService.monitor). */
export class ConversationMonitor {
  constructor(private readonly source: MonitorSource) {}

  /** Throws 403 DB_FORBIDDEN for anyone but a supervisor. */
  authorize(nav: NavigatorRecord): void {
    if (nav.role !== 'supervisor') throw DaobanError.create('FORBIDDEN', 'Only supervisors may monitor conversations');
  }

  /** Every conversation with a navigator (on any instance: the store is shared), the longest-running first. */
  async list(nav: NavigatorRecord): Promise<MonitoredConversation[]> {
    this.authorize(nav);
    const conversations = await this.source.store.listConversations({ states: MONITORED_STATES });
    const rows = await Promise.all(conversations.map(async (c) => {
      const [last] = c.lastSeq > 0 ? await this.source.store.listMessages(c.id, c.lastSeq - 1, 1) : [];
      return { ...entryOf(this.source.summary(c)), ...(last ? { lastMessageAt: new Date(last.createdAt).toISOString() } : {}) };
    }));
    return rows.sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : 0));
  }

  /** A conversation's full record (transcript, packet, notes, events), read-only. */
  open(nav: NavigatorRecord, conversationId: unknown): Promise<ConversationDetail> {
    this.authorize(nav);
    if (typeof conversationId !== 'string' || !conversationId) throw DaobanError.create('MISSING_FIELD', 'conversationId');
    return this.source.conversationDetail(nav, conversationId);
  }

  /**
   * What monitors are told of a conversation's new state (`summary`: the one the state change announced);
   * undefined when the change cannot concern them.
   */
  change(conv: ConversationRecord, summary: ConversationSummary): MonitorChange | undefined {
    if (isMonitored(conv.state)) return { conversationId: conv.id, entry: entryOf(summary) };
    if (LEAVING_STATES.includes(conv.state)) return { conversationId: conv.id };
    return undefined;
  }

}

function entryOf(conversation: ConversationSummary): MonitoredConversation {
  return { conversation, since: conversation.packet?.requestedAt ?? conversation.waitingSince ?? conversation.stateSince };
}
