/**
 * Routing: offers each waiting conversation (priority, then longest waiting) to the least-loaded, longest-idle
 * available navigator who serves its skill and has a free slot. Runs in the background, one pass at a time;
 * a request during a pass makes it run once more.
 *
 * A pass that another instance's change notice started tells the other instances about it only when it made
 * an offer: otherwise two idle instances would keep waking each other (hundreds of notices a second).
 */
import type { HandoffContext } from './context.ts';
import type { NavigatorPresence, Presence } from './navigator-presence.ts';
import type { Offers } from './offers.ts';
import { byServiceOrder } from './queue-arrangement.ts';
import type { Queue } from './queue.ts';
import { routable } from './routing.ts';

export class Dispatcher {
  private dispatching?: Promise<void>;
  private dispatchAgain = false;
  /** Whether the next pass's announcement must reach the other instances whatever it does. */
  private notifyOthers = false;

  constructor(
    private readonly ctx: HandoffContext,
    private readonly queue: Queue,
    private readonly presence: NavigatorPresence,
    private readonly offers: Offers,
    /** Announces the queue after a pass; `notifyOthers`: the other instances announce too. */
    private readonly publish: (notifyOthers: boolean) => void,
  ) {}

  /** The pass under way, if any. */
  get running(): Promise<void> | undefined {
    return this.dispatching;
  }

  /** Runs a pass soon. `notifyOthers` is false when the reason is another instance's notice. */
  schedule(notifyOthers = true): void {
    if (this.ctx.closed()) return;
    this.notifyOthers ||= notifyOthers;
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    this.dispatching = (async () => {
      do {
        this.dispatchAgain = false;
        const notify = this.notifyOthers;
        this.notifyOthers = false;
        const offered = await this.dispatchOnce();
        this.publish(notify || offered);
      } while (this.dispatchAgain && !this.ctx.closed());
    })()
      .catch((e) => this.ctx.log.error(e, 'dispatch failed'))
      .finally(() => {
        this.dispatching = undefined;
      });
  }

  /** Offers each waiting conversation (priority, then longest waiting) to the least-loaded, longest-idle navigator; true when it offered any. */
  private async dispatchOnce(): Promise<boolean> {
    const q = await this.queue.view();
    const loads = new Map(q.loads);
    // presence can change while an offer is made: each conversation checks it again
    const open = (p: Presence) => p.sockets > 0 && p.status === 'available' && (loads.get(p.navigator.id) ?? 0) < p.navigator.capacity;
    let available = [...this.presence.values()].filter(open);
    // Nobody here can take anything: the queue, however long, is not looked through.
    if (!available.length) return false;
    let offered = false;
    const waiting = [...q.bySkill.values()].flat().filter((c) => c.state === 'queued').sort(byServiceOrder);
    for (const conv of waiting) {
      const declined = this.offers.declinedBy(conv.id);
      const candidates = available.filter((p) => open(p) && routable(p.navigator, conv.skill) && !declined?.has(p.navigator.id));
      candidates.sort((a, b) => (loads.get(a.navigator.id) ?? 0) - (loads.get(b.navigator.id) ?? 0) || a.idleSince - b.idleSince);
      const chosen = candidates[0];
      if (!chosen) continue;
      const ok = await this.offers.offer(conv, chosen.navigator.id, 'routed');
      if (ok) {
        offered = true;
        loads.set(chosen.navigator.id, (loads.get(chosen.navigator.id) ?? 0) + 1);
        chosen.idleSince = this.ctx.clock.now();
        available = available.filter(open);
        if (!available.length) break;
      }
    }
    return offered;
  }
}
