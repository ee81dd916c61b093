/**
 * Routing: offers each waiting conversation (priority, then longest waiting) to the least-loaded, longest-idle
 * available navigator who serves its skill and has a free slot. Runs in the background, one pass at a time;
 * a request during a pass makes it run once more.
 */
import type { HandoffContext } from './context.ts';
import type { NavigatorPresence } from './navigator-presence.ts';
import type { Offers } from './offers.ts';
import { byServiceOrder, type Queue } from './queue.ts';
import { routable } from './routing.ts';

export class Dispatcher {
  private dispatching?: Promise<void>;
  private dispatchAgain = false;

  constructor(
    private readonly ctx: HandoffContext,
    private readonly queue: Queue,
    private readonly presence: NavigatorPresence,
    private readonly offers: Offers,
    /** Announces the queue after a pass. */
    private readonly publish: () => void,
  ) {}

  /** The pass under way, if any. */
  get running(): Promise<void> | undefined {
    return this.dispatching;
  }

  schedule(): void {
    if (this.ctx.closed()) return;
    if (this.dispatching) {
      this.dispatchAgain = true;
      return;
    }
    this.dispatching = (async () => {
      do {
        this.dispatchAgain = false;
        await this.dispatchOnce();
      } while (this.dispatchAgain && !this.ctx.closed());
    })()
      .catch((e) => this.ctx.log.error(e, 'dispatch failed'))
      .finally(() => {
        this.dispatching = undefined;
      });
  }

  /** Offers each waiting conversation (priority, then longest waiting) to the least-loaded, longest-idle navigator. */
  private async dispatchOnce(): Promise<void> {
    const q = await this.queue.view();
    const waiting = [...q.bySkill.values()].flat().filter((c) => c.state === 'queued').sort(byServiceOrder);
    for (const conv of waiting) {
      const declined = this.offers.declinedBy(conv.id);
      const candidates = [...this.presence.values()].filter(
        (p) => p.sockets > 0 && p.status === 'available' && routable(p.navigator, conv.skill)
          && (q.loads.get(p.navigator.id) ?? 0) < p.navigator.capacity && !declined?.has(p.navigator.id),
      );
      candidates.sort((a, b) => (q.loads.get(a.navigator.id) ?? 0) - (q.loads.get(b.navigator.id) ?? 0) || a.idleSince - b.idleSince);
      const chosen = candidates[0];
      if (!chosen) continue;
      const ok = await this.offers.offer(conv, chosen.navigator.id, 'routed');
      if (ok) {
        q.loads.set(chosen.navigator.id, (q.loads.get(chosen.navigator.id) ?? 0) + 1);
        chosen.idleSince = this.ctx.clock.now();
      }
    }
    this.publish();
  }
}
