/**
 * Change notices between instances (multi-instance mode): a change on one instance makes the others route and
 * announce again, and a pass started by such a notice sends none back unless it offered a conversation, so
 * idle instances fall quiet instead of waking each other for ever.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteHandoffStore } from '../storage/index.ts';
import type { ClusterPort, ClusterPresence } from './cluster.ts';
import { ManualClock } from './clock.ts';
import { HandoffService } from './service.ts';
import { fixtureKb, OPEN_TIME } from './testing/fixture-kb.ts';

/** One instance's end of an in-process cluster: notices reach the peer on a later turn, as over Redis. */
class LoopbackCluster implements ClusterPort {
  notices = 0;
  peer?: LoopbackCluster;
  private readonly listeners = new Set<() => void>();
  private readonly presence = new Map<string, ClusterPresence>();

  constructor(readonly instanceId: string) {}

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

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

async function twoInstances() {
  const store = SqliteHandoffStore.open(':memory:');
  open.push(store);
  const clusters = [new LoopbackCluster('a'), new LoopbackCluster('b')] as const;
  clusters[0].peer = clusters[1];
  clusters[1].peer = clusters[0];
  const kb = fixtureKb();
  const services = [];
  for (const cluster of clusters) {
    const service = new HandoffService({ store, kb: () => kb, clock: new ManualClock(OPEN_TIME), cluster, log: { error: (e) => { throw e; } } });
    await service.start();
    open.push(service);
    services.push(service);
  }
  const [a, b] = services as [HandoffService, HandoffService];
  const settle = async () => {
    for (let i = 0; i < 3; i++) await Promise.all([a.settled(), b.settled()]);
  };
  const notices = () => clusters[0].notices + clusters[1].notices;
  return { a, b, settle, notices };
}

describe('change notices between instances', () => {
  it('reach the other instance, which announces the new queue to its own navigators, and then stop', async () => {
    const { a, b, settle, notices } = await twoInstances();
    await settle();
    const queues: number[] = [];
    b.events.on('queue', (snapshot) => queues.push(snapshot.skills.reduce((n, s) => n + s.waiting.length, 0)));

    const conv = await a.openSession();
    await a.citizenRequestsHandoff(conv.sessionId);
    await settle();
    expect(queues.at(-1)).toBe(1);
    const afterChange = notices();
    expect(afterChange).toBeGreaterThan(0);

    await settle();
    await settle();
    expect(notices()).toBe(afterChange);
  });
});
