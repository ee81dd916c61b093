/**
 * The queue as it stands: waiting conversations per skill in service order (priority, then rank), each
 * navigator's load, the slots of the navigators online (here and on other instances) and what a waiting
 * citizen is told of their position and wait. Ranks order the queue: new arrivals at the back, requeued
 * conversations at the front.
 */
import type { ConversationRecord, ConversationState } from '../storage/handoff-store.ts';
import type { HandoffContext } from './context.ts';
import type { NavigatorPresence } from './navigator-presence.ts';
import { routable } from './routing.ts';
import type { QueueStatus } from './types.ts';
import { waitModel } from './wait-estimate.ts';
import { arrange, indexInServiceOrder, type Arrangement } from './queue-arrangement.ts';

/** The queue at one moment (queue-arrangement.ts). */
export type QueueView = Arrangement;

/** The status of a waiting conversation of one skill at its 1-based position. */
export type SkillStatus = (conv: ConversationRecord, position: number) => QueueStatus;

const ACTIVE_STATES: readonly ConversationState[] = ['queued', 'offered', 'with-navigator', 'wrap-up'];

export class Queue {
  private rankCounter = 0;
  /** Per view, the status of each skill asked about: an announcement to N waiting citizens reads its facts once. */
  private readonly statuses = new WeakMap<QueueView, Map<string, Promise<SkillStatus>>>();
  /**
   * The last view's lists, kept while the store hands back the same listing (the embedded store's listings keep
   * their identity until a write changes them): one change of the queue asks for a view several times.
   */
  private lastView?: QueueView;

  constructor(private readonly ctx: HandoffContext, private readonly presence: NavigatorPresence) {}

  /** The queue now. Each call gets a view of its own (slots and handling times are read per view), sharing unchanged lists. */
  async view(): Promise<QueueView> {
    const active = await this.ctx.store.listConversations({ states: ACTIVE_STATES });
    if (this.lastView?.active !== active) this.lastView = arrange(active, this.lastView);
    return { ...this.lastView };
  }

  slots(skill: string, loads: ReadonlyMap<string, number>): { online: number; total: number; free: number } {
    let online = 0;
    let total = 0;
    let free = 0;
    for (const p of this.presence.values()) {
      if (p.sockets === 0 || p.status !== 'available' || !routable(p.navigator, skill)) continue;
      online++;
      total += p.navigator.capacity;
      free += Math.max(0, p.navigator.capacity - (loads.get(p.navigator.id) ?? 0));
    }
    // Navigators on other instances count the same (one connected here and elsewhere is counted here).
    for (const [id, r] of this.ctx.cluster?.remotePresence() ?? []) {
      if ((this.presence.get(id)?.sockets ?? 0) > 0 || r.sockets === 0 || r.status !== 'available' || !routable(r.navigator, skill)) continue;
      online++;
      total += r.navigator.capacity;
      free += Math.max(0, r.navigator.capacity - (loads.get(id) ?? 0));
    }
    return { online, total, free };
  }

  async status(conv: ConversationRecord, q: QueueView): Promise<QueueStatus> {
    const list = q.bySkill.get(conv.skill) ?? [];
    const index = indexInServiceOrder(list, conv);
    return (await this.skillStatus(conv.skill, q))(conv, index >= 0 ? index + 1 : list.length + 1);
  }

  /** The statuses of the skill's waiting conversations in `q`: the skill's slots and handling times are read once per view. */
  skillStatus(skill: string, q: QueueView): Promise<SkillStatus> {
    let bySkill = this.statuses.get(q);
    if (!bySkill) this.statuses.set(q, (bySkill = new Map()));
    let status = bySkill.get(skill);
    if (!status) {
      const offered = q.offered.get(skill) ?? 0;
      status = this.handleTimes(skill).then((recentHandleTimesMs): SkillStatus => {
        const slots = this.slots(skill, q.loads);
        const wait = waitModel({ totalSlots: slots.total, freeSlots: slots.free + offered, recentHandleTimesMs });
        return (conv, position) => {
          const waitMinutes = wait(position);
          return {
            position,
            ...(waitMinutes ? { waitMinutes } : {}),
            navigatorsOnline: slots.online,
            waitingSince: new Date(conv.queuedAt ?? conv.stateSince).toISOString(),
          };
        };
      });
      bySkill.set(skill, status);
    }
    return status;
  }

  /** A rank at the back of the queue. */
  nextRank(): number {
    this.rankCounter = (this.rankCounter + 1) % 1000;
    return this.ctx.clock.now() * 1000 + this.rankCounter;
  }

  /** A rank ahead of every waiting conversation. */
  async frontRank(): Promise<number> {
    const waiting = await this.ctx.store.listConversations({ states: ['queued', 'offered'] });
    const min = Math.min(this.ctx.clock.now() * 1000, ...waiting.map((c) => c.queueRank ?? Infinity));
    return min - 1;
  }

  private async handleTimes(skill: string): Promise<number[]> {
    const own = await this.ctx.store.recentHandleTimes(50, skill);
    return own.length >= 5 ? own : this.ctx.store.recentHandleTimes(50);
  }
}
