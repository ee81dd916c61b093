/**
 * What the navigator console reads: the queue per skill (waiting conversations, slots), a navigator's
 * conversations, a conversation's full record (messages, notes, events, ratings, tickets), and the navigators
 * with their status and load (online here or, in multi-instance mode, elsewhere).
 */
import type { NavigatorRecord } from '../storage/handoff-store.ts';
import type { HandoffContext, HandoffParts } from './context.ts';
import { knownSkills } from './routing.ts';
import type { ConversationDetail, ConversationSummary, MessageView, NavigatorView, QueueSnapshot } from './types.ts';
import { eventView, messageView, noteView, ratingView } from './views.ts';

export class ConsoleViews {
  constructor(private readonly ctx: HandoffContext, private readonly parts: HandoffParts) {}

  async queueSnapshot(): Promise<QueueSnapshot> {
    const q = await this.parts.queue.view();
    const now = this.ctx.clock.now();
    const skills = new Set([...knownSkills(this.ctx.kb()), ...q.bySkill.keys()]);
    return {
      at: new Date(now).toISOString(),
      skills: [...skills].map((skill) => {
        const list = q.bySkill.get(skill) ?? [];
        const s = this.parts.queue.slots(skill, q.loads);
        const waiting = list.map((c, i) => {
          const since = c.queuedAt ?? c.stateSince;
          const title = c.packet?.itemTitle ?? (c.itemId ? this.ctx.kb()?.itemsById.get(c.itemId)?.title : undefined);
          return {
            conversationId: c.id, skill, priority: c.priority, position: i + 1, state: c.state as 'queued' | 'offered',
            ...(c.offeredTo ? { offeredTo: c.offeredTo } : {}), waitingSince: new Date(since).toISOString(), waitingMs: now - since,
            ...(c.packet ? { reason: c.packet.reason, summary: c.packet.summary } : {}), ...(title ? { itemTitle: title } : {}),
          };
        });
        return { skill, waiting, longestWaitMs: Math.max(0, ...waiting.map((w) => w.waitingMs)), navigatorsOnline: s.online, totalSlots: s.total, freeSlots: s.free };
      }),
    };
  }

  /** The navigator's conversations: held (with-navigator, wrap-up) and offered to them. */
  async activeConversations(nav: NavigatorRecord): Promise<ConversationSummary[]> {
    const q = await this.parts.queue.view();
    return q.active.filter((c) => c.navigatorId === nav.id || c.offeredTo === nav.id).map((c) => this.parts.conv.summary(c));
  }

  async conversationDetail(nav: NavigatorRecord, conversationId: string): Promise<ConversationDetail> {
    const conv = await this.parts.conv.viewable(nav, conversationId);
    const [messages, notes, events, ratings, tickets] = await Promise.all([
      this.ctx.store.listMessages(conv.id, 0, 10_000), this.ctx.store.listNotes(conv.id), this.ctx.store.listEvents(conv.id),
      this.ctx.store.listRatings(conv.id), this.ctx.store.listTickets({ conversationId: conv.id }),
    ]);
    return {
      conversation: this.parts.conv.summary(conv),
      messages: messages.map(messageView),
      notes: notes.map(noteView),
      events: events.map(eventView),
      ratings: ratings.map(ratingView),
      tickets: tickets.map((t) => this.parts.conv.ticketView(t)),
    };
  }

  async conversationMessages(nav: NavigatorRecord, conversationId: string, afterSeq: number): Promise<{ conversation: ConversationSummary; messages: MessageView[] }> {
    const conv = await this.parts.conv.viewable(nav, conversationId);
    return { conversation: this.parts.conv.summary(conv), messages: (await this.ctx.store.listMessages(conv.id, afterSeq, 10_000)).map(messageView) };
  }

  async navigators(): Promise<NavigatorView[]> {
    const loads = (await this.parts.queue.view()).loads;
    return (await this.ctx.store.listNavigators()).filter((n) => n.active).map((n) => this.navigatorView(n, loads));
  }

  navigatorView(n: NavigatorRecord, loads: ReadonlyMap<string, number>): NavigatorView {
    const p = this.parts.presence.get(n.id);
    return {
      id: n.id, username: n.username, name: n.name, role: n.role, skills: n.skills, capacity: n.capacity,
      status: p && p.sockets > 0 ? p.status : this.ctx.cluster?.remotePresence().get(n.id)?.status ?? 'offline', load: loads.get(n.id) ?? 0,
    };
  }
}
