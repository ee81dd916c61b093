/**
 * Citizens waiting for a person who went away: when a citizen's last socket closes while their conversation
 * waits (handoff requested, queued, offered), a grace period starts; a reload or reconnect within it cancels it,
 * otherwise the conversation is abandoned, so navigators are not offered a conversation nobody is in.
 * Citizens on plain HTTP never had a socket and are not tracked.
 */
import type { Clock, TimerHandle } from './clock.ts';

export interface CitizenPresenceOptions {
  clock: Clock;
  graceMs: number;
  /** Whether the conversation is waiting for a person now. */
  isWaiting(conversationId: string): Promise<boolean>;
  /** The grace period ran out: leave the queue on the citizen's behalf. */
  abandon(conversationId: string): Promise<void>;
  /** A grace period started (the navigator console and tests hear of it). */
  onAway?(conversationId: string, graceMs: number): void;
  log: { error(obj: unknown, msg: string): void };
}

export class CitizenPresence {
  private readonly away = new Map<string, TimerHandle>();
  /** Bumped on every connect: a disconnect decided after a newer connect is stale. */
  private readonly generation = new Map<string, number>();

  constructor(private readonly opts: CitizenPresenceOptions) {}

  connected(conversationId: string): void {
    this.generation.set(conversationId, (this.generation.get(conversationId) ?? 0) + 1);
    this.away.get(conversationId)?.cancel();
    this.away.delete(conversationId);
  }

  /**
   * The citizen's last socket on this instance closed. `connectedElsewhere` asks every instance (a reload may
   * land on another one) and is asked again when the grace period ends.
   */
  async disconnected(conversationId: string, connectedElsewhere: () => Promise<boolean>): Promise<void> {
    const gen = this.generation.get(conversationId) ?? 0;
    if (!(await this.opts.isWaiting(conversationId))) {
      this.forget(conversationId, gen);
      return;
    }
    if ((this.generation.get(conversationId) ?? 0) !== gen) return;
    this.away.get(conversationId)?.cancel();
    this.away.set(conversationId, this.opts.clock.schedule(this.opts.graceMs, () => {
      this.away.delete(conversationId);
      this.forget(conversationId, gen);
      void this.expire(conversationId, connectedElsewhere).catch((e: unknown) => this.opts.log.error(e, 'abandoning a departed citizen failed'));
    }));
    this.opts.onAway?.(conversationId, this.opts.graceMs);
  }

  close(): void {
    for (const t of this.away.values()) t.cancel();
    this.away.clear();
  }

  private async expire(conversationId: string, connectedElsewhere: () => Promise<boolean>): Promise<void> {
    if (await connectedElsewhere()) return;
    if (await this.opts.isWaiting(conversationId)) await this.opts.abandon(conversationId);
  }

  private forget(conversationId: string, gen: number): void {
    if (this.generation.get(conversationId) === gen && !this.away.has(conversationId)) this.generation.delete(conversationId);
  }
}
