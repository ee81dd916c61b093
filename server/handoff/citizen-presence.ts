/**
 * Citizens waiting for a person who went away: when a citizen's last socket closes while their conversation
 * waits (queued, offered), a grace period starts; a reload or reconnect within it cancels it, otherwise the
 * conversation is abandoned, so navigators are not offered a conversation nobody is in.
 *
 * A crash or restart closes sockets without anyone hearing of it, so every instance, when it starts, adopts the
 * waiting conversations whose citizen has had a socket (recovery.ts): each citizen with no socket open on any
 * instance gets the same grace period, as if they had just left. With several instances, the survivors of one
 * that died do the same at every sweep (once per conversation: a running grace period is left running).
 *
 * Citizens on plain HTTP never had a socket and are not tracked, before or after a restart: a conversation
 * records when a citizen socket first joined it (`citizenSocketAt`), and one without that record (only ever
 * HTTP, or older than the record) is never abandoned for want of a socket. A citizen who used a socket once
 * counts as a socket citizen from then on.
 */
import type { Clock, TimerHandle } from './clock.ts';

/**
 * Which of the conversations have a socket of their citizen open on any instance (the realtime layer answers,
 * for many conversations in one question across the cluster: a sweep asks about every waiting one).
 */
export type CitizenSockets = (conversationIds: readonly string[]) => Promise<ReadonlySet<string>>;

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
  /** Grace periods that ran out and are being acted on, by conversation. */
  private readonly expiring = new Map<string, Promise<void>>();

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
  disconnected(conversationId: string, connectedElsewhere: () => Promise<boolean>): Promise<void> {
    return this.startGrace(conversationId, this.generation.get(conversationId) ?? 0, connectedElsewhere);
  }

  /**
   * After a (re)start, and at every cluster sweep: the citizen of a waiting conversation gets the grace period
   * unless a socket of theirs is open on some instance. A grace period already running here keeps running (a
   * sweep does not restart it) unless the citizen is found connected, which ends it as a reconnect here
   * would. When the question cannot be asked now (Redis away), the grace period starts anyway and the
   * question is asked again when it ends. `connectedNow`: the answer, when the caller already asked about many
   * conversations at once.
   */
  async adopt(conversationId: string, connectedAnywhere: () => Promise<boolean>, connectedNow?: boolean): Promise<void> {
    const gen = this.generation.get(conversationId) ?? 0;
    if (connectedNow ?? (await connectedAnywhere().catch(() => false))) {
      // Back on another instance: this instance's timer would otherwise cut a later absence short.
      this.away.get(conversationId)?.cancel();
      this.away.delete(conversationId);
      this.forget(conversationId, gen);
      return;
    }
    if (this.timing(conversationId)) return;
    await this.startGrace(conversationId, gen, connectedAnywhere, false);
  }

  /** Resolves when the grace periods that ran out so far have been acted on (tests). */
  async settled(): Promise<void> {
    await Promise.all(this.expiring.values());
  }

  close(): void {
    for (const t of this.away.values()) t.cancel();
    this.away.clear();
  }

  /** `restart`: a new disconnect restarts a running grace period; an adoption leaves it running. */
  private async startGrace(conversationId: string, gen: number, connectedElsewhere: () => Promise<boolean>, restart = true): Promise<void> {
    if (!(await this.opts.isWaiting(conversationId))) {
      this.forget(conversationId, gen);
      return;
    }
    if ((this.generation.get(conversationId) ?? 0) !== gen) return;
    if (!restart && this.timing(conversationId)) return;
    this.away.get(conversationId)?.cancel();
    this.away.set(conversationId, this.opts.clock.schedule(this.opts.graceMs, () => {
      this.away.delete(conversationId);
      this.forget(conversationId, gen);
      const expiry = this.expire(conversationId, connectedElsewhere)
        .catch((e: unknown) => this.opts.log.error(e, 'abandoning a departed citizen failed'))
        .finally(() => {
          if (this.expiring.get(conversationId) === expiry) this.expiring.delete(conversationId);
        });
      this.expiring.set(conversationId, expiry);
    }));
    this.opts.onAway?.(conversationId, this.opts.graceMs);
  }

  private async expire(conversationId: string, connectedElsewhere: () => Promise<boolean>): Promise<void> {
    if (await connectedElsewhere()) return;
    if (await this.opts.isWaiting(conversationId)) await this.opts.abandon(conversationId);
  }

  /** A grace period is running here, or one that ran out is being acted on (a sweep then has nothing to add). */
  private timing(conversationId: string): boolean {
    return this.away.has(conversationId) || this.expiring.has(conversationId);
  }

  private forget(conversationId: string, gen: number): void {
    if (this.generation.get(conversationId) === gen && !this.away.has(conversationId)) this.generation.delete(conversationId);
  }
}
