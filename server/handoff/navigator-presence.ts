/**
 * Which navigators are online here (several tabs count once), their status and how long they have been idle,
 * shared with the other instances in multi-instance mode. A navigator whose last socket closes while holding
 * conversations keeps them for a grace period; when it runs out with no socket on any instance, they are requeued.
 */
import type { NavigatorRecord } from '../storage/handoff-store.ts';
import type { TimerHandle } from './clock.ts';
import type { HandoffContext } from './context.ts';
import { NAVIGATOR_STATES } from './state-machine.ts';
import type { NavigatorStatus } from './types.ts';

export interface Presence {
  navigator: NavigatorRecord;
  sockets: number;
  status: 'available' | 'away';
  /** When the navigator last became available, or was last offered a conversation (longest idle first). */
  idleSince: number;
  grace?: TimerHandle;
}

export interface NavigatorPresenceOptions {
  /** How long a disconnected navigator keeps their conversations. */
  graceMs: number;
  /** The navigator's last socket closed: their pending offers go back to the queue. */
  withdrawOffers(navigatorId: string): Promise<void>;
  /** The grace period ran out: their conversations go back to the queue. */
  graceExpired(navigatorId: string): Promise<void>;
  /** Who can take what changed: route and announce the queue again. */
  changed(): void;
}

export class NavigatorPresence {
  private readonly presence = new Map<string, Presence>();

  constructor(private readonly ctx: HandoffContext, private readonly opts: NavigatorPresenceOptions) {}

  get(navigatorId: string): Presence | undefined {
    return this.presence.get(navigatorId);
  }

  has(navigatorId: string): boolean {
    return this.presence.has(navigatorId);
  }

  values(): IterableIterator<Presence> {
    return this.presence.values();
  }

  /** A navigator socket connected (several tabs count once). */
  connected(navigator: NavigatorRecord, status: 'available' | 'away'): void {
    let p = this.presence.get(navigator.id);
    if (!p) {
      p = { navigator, sockets: 0, status, idleSince: this.ctx.clock.now() };
      this.presence.set(navigator.id, p);
    }
    p.navigator = navigator;
    p.grace?.cancel();
    p.grace = undefined;
    if (p.sockets === 0) {
      p.status = status;
      p.idleSince = this.ctx.clock.now();
    }
    p.sockets++;
    this.share(navigator.id);
    this.ctx.events.emit('navigator-status', navigator.id, p.status, 'connected');
    this.opts.changed();
  }

  /** A navigator socket went away; when it was the last, offers are withdrawn and the grace period starts. */
  async disconnected(navigatorId: string): Promise<void> {
    const p = this.presence.get(navigatorId);
    if (!p || p.sockets === 0) return;
    p.sockets--;
    this.share(navigatorId);
    if (p.sockets > 0) return;
    await this.opts.withdrawOffers(navigatorId);
    const held = await this.ctx.store.listConversations({ states: NAVIGATOR_STATES, navigatorId });
    if (p.sockets === 0) {
      if (held.length) this.startGrace(p);
      else this.presence.delete(navigatorId);
    }
    // Announced last, once the grace period (if any) is running.
    this.ctx.events.emit('navigator-status', navigatorId, 'offline', 'disconnected');
    this.opts.changed();
  }

  setStatus(navigatorId: string, status: 'available' | 'away'): NavigatorStatus {
    const p = this.presence.get(navigatorId);
    if (!p || p.sockets === 0) return 'offline';
    if (p.status !== status) {
      p.status = status;
      if (status === 'available') p.idleSince = this.ctx.clock.now();
      this.share(navigatorId);
      this.ctx.events.emit('navigator-status', navigatorId, status, 'set');
      this.opts.changed();
    }
    return p.status;
  }

  /** Not answering an offer means not at the desk: no more offers until they say they are back. */
  markAway(navigatorId: string): void {
    const p = this.presence.get(navigatorId);
    if (p && p.status === 'available') {
      p.status = 'away';
      this.share(navigatorId);
      this.ctx.events.emit('navigator-status', navigatorId, 'away', 'offer-unanswered');
    }
  }

  /** A navigator holding conversations with no socket (after a restart, or orphaned in the cluster) gets the grace period. */
  adopt(navigator: NavigatorRecord, now: number): void {
    const p: Presence = { navigator, sockets: 0, status: 'available', idleSince: now };
    this.presence.set(navigator.id, p);
    this.startGrace(p);
  }

  close(): void {
    for (const p of this.presence.values()) p.grace?.cancel();
  }

  private startGrace(p: Presence): void {
    p.grace?.cancel();
    p.grace = this.ctx.clock.schedule(this.opts.graceMs, () => {
      p.grace = undefined;
      if (p.sockets > 0 || this.ctx.closed() || this.ctx.cluster?.remotePresence().has(p.navigator.id)) return;
      this.presence.delete(p.navigator.id);
      void this.opts.graceExpired(p.navigator.id).catch((e) => this.ctx.log.error(e, 'requeue after grace failed'));
    });
  }

  /** Multi-instance: tells the other instances this instance's presence of a navigator. */
  private share(navigatorId: string): void {
    const cluster = this.ctx.cluster;
    if (!cluster) return;
    const p = this.presence.get(navigatorId);
    if (!p || p.sockets === 0) return cluster.setPresence(navigatorId, undefined);
    const { passwordHash: _secret, ...navigator } = p.navigator;
    cluster.setPresence(navigatorId, { navigator, status: p.status, sockets: p.sockets, idleSince: p.idleSince });
  }
}
