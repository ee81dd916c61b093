/**
 * Queue announcements: the queue snapshot to navigators and, to each waiting citizen, their position and wait
 * when it changed. Coalesced (many changes in one turn make one announcement) and run one at a time; in
 * multi-instance mode a change here also makes the other instances announce to their own sockets.
 */
import type { HandoffContext } from './context.ts';
import type { Queue, SkillStatus } from './queue.ts';
import type { QueueSnapshot } from './types.ts';

export class QueueAnnouncer {
  private publishPending = false;
  private publishing?: Promise<void>;
  private readonly lastQueueStatus = new Map<string, string>();

  constructor(
    private readonly ctx: HandoffContext,
    private readonly queue: Queue,
    /** What navigators see of the queue (console-views.ts). */
    private readonly snapshot: () => Promise<QueueSnapshot>,
  ) {}

  /** The announcement under way, if any. */
  get running(): Promise<void> | undefined {
    return this.publishing;
  }

  /** Whether an announcement is due but not started yet. */
  get pending(): boolean {
    return this.publishPending;
  }

  /** Announces the queue soon; `notify` (default) also makes the other instances re-announce to their sockets. */
  schedule(notify = true): void {
    if (notify) this.ctx.cluster?.changed();
    if (this.publishPending || this.ctx.closed()) return;
    this.publishPending = true;
    setImmediate(() => {
      this.publishPending = false;
      const run: Promise<void> = (this.publishing ?? Promise.resolve())
        .then(() => this.publish())
        .catch((e) => this.ctx.log.error(e, 'queue publish failed'));
      this.publishing = run;
      void run.finally(() => {
        if (this.publishing === run) this.publishing = undefined;
      });
    });
  }

  /**
   * Sends the queue to navigators and each waiting citizen their position and wait, when it changed: to those who
   * can hear it on this instance (anyone connecting later is sent the state then).
   */
  private async publish(): Promise<void> {
    if (this.ctx.closed()) return;
    const audience = this.ctx.audience();
    if (audience.navigators()) this.ctx.events.emit('queue', await this.snapshot());
    const q = await this.queue.view();
    const seen = new Set<string>();
    for (const [skill, list] of q.bySkill) {
      let statusOf: SkillStatus | undefined;
      for (const [i, conv] of list.entries()) {
        if (!audience.citizen(conv.id)) continue;
        seen.add(conv.id);
        statusOf ??= await this.queue.skillStatus(skill, q);
        const status = statusOf(conv, i + 1);
        const key = `${status.position}|${status.waitMinutes?.min}|${status.waitMinutes?.max}|${status.navigatorsOnline}`;
        if (this.lastQueueStatus.get(conv.id) === key) continue;
        this.lastQueueStatus.set(conv.id, key);
        this.ctx.events.emit('queue-position', conv, status);
      }
    }
    for (const id of this.lastQueueStatus.keys()) if (!seen.has(id)) this.lastQueueStatus.delete(id);
  }
}
