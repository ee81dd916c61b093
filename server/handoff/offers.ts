/**
 * Offers: a waiting conversation is offered to one navigator at a time, who has `offerTimeoutMs` to accept.
 * An offer that ends without acceptance (declined, timed out, navigator gone) returns the conversation to
 * its place in the queue; navigators who declined or let it time out are not offered it again while it waits.
 */
import type { ConversationRecord } from '../storage/handoff-store.ts';
import type { TimerHandle } from './clock.ts';
import type { HandoffContext } from './context.ts';
import type { Conversations } from './conversations.ts';
import type { NavigatorPresence } from './navigator-presence.ts';

export interface OffersOptions {
  offerTimeoutMs: number;
  /** Routes the queue again (an offer came back). */
  dispatch(): void;
}

export class Offers {
  private readonly timers = new Map<string, TimerHandle>();
  /** Navigators who declined a conversation: not offered it again while it waits. */
  private readonly declined = new Map<string, Set<string>>();

  constructor(
    private readonly ctx: HandoffContext,
    private readonly conv: Conversations,
    private readonly presence: NavigatorPresence,
    private readonly opts: OffersOptions,
  ) {}

  /** Whether this instance runs the conversation's offer timer. */
  hasTimer(conversationId: string): boolean {
    return this.timers.has(conversationId);
  }

  declinedBy(conversationId: string): ReadonlySet<string> | undefined {
    return this.declined.get(conversationId);
  }

  /** The conversation moved to another queue: whoever declined it may be offered it there. */
  forgetDeclined(conversationId: string): void {
    this.declined.delete(conversationId);
  }

  async offer(conv: ConversationRecord, navigatorId: string, reason: string, transferredBy?: string): Promise<boolean> {
    const { store, clock } = this.ctx;
    const expiresAt = clock.now() + this.opts.offerTimeoutMs;
    const next = await store.transition(conv.id, conv.version, {
      to: 'offered', patch: { offeredTo: navigatorId, offerExpiresAt: expiresAt, navigatorId: null }, actor: 'system', reason,
      data: { navigatorId }, at: clock.now(),
    });
    if (!next) return false;
    this.timers.get(conv.id)?.cancel();
    this.timers.set(conv.id, clock.schedule(this.opts.offerTimeoutMs, () => void this.timedOut(conv.id, navigatorId)));
    const summary = this.conv.summary(next);
    this.ctx.events.emit('offer', navigatorId, { conversation: summary, expiresAt: new Date(expiresAt).toISOString(), ...(transferredBy ? { transferredBy } : {}) });
    await this.conv.announce(next, conv.navigatorId ? [conv.navigatorId] : []);
    return true;
  }

  /** An offer ends without acceptance: the conversation keeps its place in the queue and goes to the next navigator. */
  async returnOffer(conv: ConversationRecord, reason: string, skipNavigator: boolean): Promise<void> {
    const navigatorId = conv.offeredTo!;
    const next = await this.ctx.store.transition(conv.id, conv.version, {
      to: 'queued', patch: { offeredTo: null, offerExpiresAt: null }, actor: reason === 'declined' ? `navigator:${navigatorId}` : 'system',
      reason, data: { navigatorId }, at: this.ctx.clock.now(),
    });
    if (!next) return;
    this.timers.get(conv.id)?.cancel();
    this.timers.delete(conv.id);
    if (skipNavigator) {
      const set = this.declined.get(conv.id) ?? new Set<string>();
      set.add(navigatorId);
      this.declined.set(conv.id, set);
    }
    this.ctx.events.emit('offer-withdrawn', navigatorId, { conversationId: conv.id, reason });
    await this.conv.announce(next, [navigatorId]);
    this.opts.dispatch();
  }

  /** The navigator's last socket closed: their pending offers go back to the queue. */
  async withdrawFrom(navigatorId: string): Promise<void> {
    for (const conv of await this.ctx.store.listConversations({ states: ['offered'] })) {
      if (conv.offeredTo === navigatorId) await this.returnOffer(conv, 'navigator-offline', false);
    }
  }

  /** The conversation left the queue (accepted, abandoned, ticket): its timer and declines are forgotten. */
  clearOffer(conversationId: string, navigatorId: string | null, reason: string): void {
    this.timers.get(conversationId)?.cancel();
    this.timers.delete(conversationId);
    this.declined.delete(conversationId);
    if (navigatorId) this.ctx.events.emit('offer-withdrawn', navigatorId, { conversationId, reason });
  }

  close(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private async timedOut(conversationId: string, navigatorId: string): Promise<void> {
    try {
      this.timers.delete(conversationId);
      const conv = await this.ctx.store.getConversation(conversationId);
      if (!conv || conv.state !== 'offered' || conv.offeredTo !== navigatorId) return;
      // Not answering an offer means not at the desk: stop offering until they say they are back.
      this.presence.markAway(navigatorId);
      await this.returnOffer(conv, 'offer-timeout', true);
    } catch (e) {
      this.ctx.log.error(e, 'offer timeout handling failed');
    }
  }
}
