/**
 * Recovery when navigators or instances go away: after a restart pending offers go back to the queue (their
 * navigator's socket is gone) and navigators holding conversations get the grace period; in multi-instance
 * mode a periodic sweep does the same for orphans of instances that died; when a grace period runs out, the
 * navigator's conversations go back to the front of the queue. Citizens waiting for a person whose socket
 * went with the restart, or with an instance that died, get their grace period too (citizen-presence.ts;
 * plain-HTTP citizens are not tracked). A request for a person a crash interrupted ('handoff-requested') is
 * finished as it would have been, so that the waiting rules then apply to it.
 */
import { isDaobanError } from '../errors/catalogue.ts';
import type { ConversationRecord, TicketRecord } from '../storage/handoff-store.ts';
import type { HandoffContext, HandoffParts } from './context.ts';
import type { TimerHandle } from './clock.ts';
import { routeRequest } from './request-routing.ts';
import { NAVIGATOR_STATES, WAITING_STATES } from './state-machine.ts';
import { TEXTS } from './texts.ts';

/**
 * Multi-instance: how long a conversation stays in 'handoff-requested' before the sweep takes it for one a
 * crash interrupted. A request in flight on a live instance spends milliseconds there between its two moves.
 */
export const STUCK_REQUEST_MS = 30_000;

export interface RecoveryOptions {
  /** Multi-instance mode: how often orphaned offers and conversations are looked for. */
  sweepMs: number;
  /** Route and announce the queue again. */
  changed(): void;
  /** Waiting citizens who have had a socket: the grace period to come back unless connected somewhere (citizen-presence.ts). */
  adoptCitizens(conversationIds: readonly string[]): Promise<void>;
}

export class Recovery {
  private sweepTimer?: TimerHandle;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: HandoffContext,
    private readonly parts: HandoffParts,
    private readonly opts: RecoveryOptions,
  ) {}

  /**
   * Single instance, after a (re)start: every offer is withdrawn, every holder gets the grace period, every
   * interrupted request is finished and every waiting citizen who had a socket gets the grace period.
   */
  async restore(): Promise<void> {
    const now = this.ctx.clock.now();
    for (const conv of await this.ctx.store.listConversations({ states: ['offered'] })) {
      await this.ctx.store.transition(conv.id, conv.version, {
        to: 'queued', patch: { offeredTo: null, offerExpiresAt: null }, actor: 'system', reason: 'restart-offer-withdrawn', at: now,
      });
    }
    await this.adoptOrphans(now);
    // Nothing else runs yet: whatever is in 'handoff-requested' was interrupted.
    await this.finishInterruptedRequests(now, 0);
    await this.adoptWaitingCitizens();
  }

  /**
   * Multi-instance: offers whose timer went away with their instance go back to the queue once expired,
   * conversations held by a navigator online nowhere get the grace period here, and so do waiting citizens
   * with a socket open nowhere (theirs went with a restart or a dead instance); requests stuck in
   * 'handoff-requested' are finished first. Runs at start and periodically.
   */
  async sweep(): Promise<void> {
    this.sweeping = this.sweepOnce();
    await this.sweeping;
    if (!this.ctx.closed()) this.sweepTimer = this.ctx.clock.schedule(this.opts.sweepMs, () => void this.sweep());
  }

  /** Resolves when the sweep under way, if any, has finished (tests, closing). */
  settled(): Promise<void> {
    return this.sweeping;
  }

  private async sweepOnce(): Promise<void> {
    try {
      const now = this.ctx.clock.now();
      for (const conv of await this.ctx.store.listConversations({ states: ['offered'] })) {
        if (this.parts.offers.hasTimer(conv.id) || (conv.offerExpiresAt ?? 0) + 2000 > now) continue;
        await this.parts.offers.returnOffer(conv, 'offer-timeout', false);
      }
      await this.adoptOrphans(now);
      await this.finishInterruptedRequests(now, STUCK_REQUEST_MS);
      await this.adoptWaitingCitizens();
    } catch (e) {
      this.ctx.log.error(e, 'cluster sweep failed');
    }
  }

  /**
   * Each waiting conversation whose citizen has had a socket is adopted: a grace period unless they are
   * connected on some instance or one is already running here (citizen-presence.ts). Conversations with no
   * record of a citizen socket (plain HTTP) are left alone, as they are while the service runs.
   */
  private async adoptWaitingCitizens(): Promise<void> {
    const waiting = await this.ctx.store.listConversations({ states: WAITING_STATES });
    await this.opts.adoptCitizens(waiting.filter((c) => c.citizenSocketAt !== null).map((c) => c.id));
  }

  /** The grace period ran out: the navigator's conversations go back to the front of the queue. */
  async requeueHeldBy(navigatorId: string): Promise<void> {
    const { store } = this.ctx;
    const now = this.ctx.clock.now();
    for (const conv of await store.listConversations({ states: NAVIGATOR_STATES, navigatorId })) {
      const handling = await store.openHandling(conv.id);
      if (conv.state === 'wrap-up') {
        const next = await store.transition(conv.id, conv.version, {
          to: 'resolved', patch: { navigatorId: null }, actor: 'system', reason: 'navigator-disconnected', at: now,
        });
        if (!next) continue;
        if (handling) await store.endHandling(handling.id, { endedAt: now, outcome: 'navigator-disconnected' });
        await this.parts.conv.announce(next, [navigatorId]);
        continue;
      }
      const next = await store.transition(conv.id, conv.version, {
        to: 'queued', patch: { navigatorId: null, queueRank: await this.parts.queue.frontRank(), queuedAt: now }, actor: 'system', reason: 'navigator-disconnected', at: now,
      });
      if (!next) continue;
      if (handling) await store.endHandling(handling.id, { endedAt: now, outcome: 'navigator-disconnected' });
      await this.parts.conv.systemMessage(next, 'navigator-left', TEXTS.navigatorLeft(next.lang));
      await this.parts.conv.announce(next, [navigatorId]);
    }
    this.opts.changed();
  }

  close(): void {
    this.sweepTimer?.cancel();
  }

  /**
   * A crash between the two moves of a request for a person (requestHandoff, leaveMessage) leaves the
   * conversation in 'handoff-requested', where nothing moves it on: finish the request as it would have been.
   * If the citizen's message was saved (a ticket since the request), the conversation goes to 'ticket';
   * otherwise to the queue or 'after-hours', as the calendar says now. Only conversations in that state for
   * at least `olderThanMs`; moves are version-checked, so of several instances one moves each conversation.
   */
  private async finishInterruptedRequests(now: number, olderThanMs: number): Promise<void> {
    let moved = false;
    for (const conv of await this.ctx.store.listConversations({ states: ['handoff-requested'] })) {
      if (now - conv.stateSince < olderThanMs) continue;
      try {
        const ticket = (await this.ctx.store.listTickets({ conversationId: conv.id })).find((t) => t.createdAt >= conv.stateSince);
        if (ticket) await this.toTicket(conv, ticket);
        else await routeRequest(this.ctx, this.parts, conv, { recovered: 'interrupted-request' });
        moved = true;
      } catch (e) {
        // another instance moved it first
        if (!isDaobanError(e) || e.code !== 'DB_INVALID_TRANSITION') throw e;
      }
    }
    if (moved) this.opts.changed();
  }

  /** The rest of leaveMessage for a ticket saved before the crash: the citizen is told its reference. */
  private async toTicket(conv: ConversationRecord, ticket: TicketRecord): Promise<void> {
    const next = await this.parts.conv.move(conv, 'ticket', 'leave a message in', {
      actor: 'system', reason: 'citizen-left-message', data: { ticketRef: ticket.ref, departmentId: ticket.departmentId ?? undefined, recovered: 'interrupted-request' },
      patch: { queueRank: null, offeredTo: null, offerExpiresAt: null },
    });
    const department = ticket.departmentId ? this.ctx.kb()?.departmentsById.get(ticket.departmentId)?.name : undefined;
    await this.parts.conv.ticketCreated(next, ticket, department);
  }

  /** Navigators holding conversations with no socket here or (multi-instance) anywhere get the grace period. */
  private async adoptOrphans(now: number): Promise<void> {
    for (const conv of await this.ctx.store.listConversations({ states: NAVIGATOR_STATES })) {
      const id = conv.navigatorId;
      if (!id || this.parts.presence.has(id) || this.ctx.cluster?.remotePresence().has(id)) continue;
      const navigator = await this.ctx.store.getNavigator(id);
      if (navigator) this.parts.presence.adopt(navigator, now);
    }
  }
}
