/** An in-process ClusterPort for handoff tests with two instances over one store (no Redis). */
import type { ClusterPort, ClusterPresence } from '../cluster.ts';

/** One instance's end of an in-process cluster: notices reach the peer on a later turn, as over Redis. */
export class LoopbackCluster implements ClusterPort {
  notices = 0;
  peer?: LoopbackCluster;
  private readonly listeners = new Set<() => void>();
  private readonly presence = new Map<string, ClusterPresence>();

  constructor(readonly instanceId: string) {}

  /** Two ends that hear each other. */
  static pair(a: string, b: string): [LoopbackCluster, LoopbackCluster] {
    const ends: [LoopbackCluster, LoopbackCluster] = [new LoopbackCluster(a), new LoopbackCluster(b)];
    ends[0].peer = ends[1];
    ends[1].peer = ends[0];
    return ends;
  }

  remotePresence(): ReadonlyMap<string, ClusterPresence> {
    return this.peer?.presence ?? new Map();
  }

  setPresence(navigatorId: string, presence: ClusterPresence | undefined): void {
    if (presence) this.presence.set(navigatorId, presence);
    else this.presence.delete(navigatorId);
  }

  changed(): void {
    this.notices++;
    const peer = this.peer;
    setImmediate(() => peer?.hear());
  }

  onRemoteChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async withLock<T>(_key: string, fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  private hear(): void {
    for (const fn of this.listeners) fn();
  }
}
