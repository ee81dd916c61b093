/**
 * The seam between the conversation service and the other service instances (multi-instance mode).
 * Without it the service is alone: presence, locks and queue announcements are in-process.
 * With it (server/scale, Redis), navigators online on other instances count for capacity and wait
 * estimates, a change anywhere makes every instance re-dispatch and re-announce the queue to its own
 * sockets, and per-navigator sections (accept) are serialised cluster-wide. Claims stay atomic in the
 * shared store (compare-and-set transitions), whatever the instance.
 */
import type { NavigatorRecord } from '../storage/handoff-store.ts';

export interface ClusterPresence {
  navigator: Omit<NavigatorRecord, 'passwordHash'>;
  status: 'available' | 'away';
  sockets: number;
  idleSince: number;
}

export interface ClusterPort {
  readonly instanceId: string;
  /** Navigators connected to other instances, by id (kept fresh by the implementation; read synchronously). */
  remotePresence(): ReadonlyMap<string, ClusterPresence>;
  /** This instance's presence of a navigator changed (undefined: no socket here any more). */
  setPresence(navigatorId: string, presence: ClusterPresence | undefined): void;
  /** The queue or capacity changed here: the other instances re-dispatch and re-announce. */
  changed(): void;
  /** Another instance reported a change (queue, presence). */
  onRemoteChange(fn: () => void): () => void;
  /** Runs fn holding a cluster-wide lock on key. */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}
