/**
 * Change notices between instances (multi-instance mode): a change on one instance makes the others route and
 * announce again, and a pass started by such a notice sends none back unless it offered a conversation, so
 * idle instances fall quiet instead of waking each other for ever.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteHandoffStore } from '../storage/index.ts';
import { ManualClock } from './clock.ts';
import { HandoffService } from './service.ts';
import { fixtureKb, OPEN_TIME } from './testing/fixture-kb.ts';
import { LoopbackCluster } from './testing/loopback-cluster.ts';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

async function twoInstances() {
  const store = SqliteHandoffStore.open(':memory:');
  open.push(store);
  const clusters = LoopbackCluster.pair('a', 'b');
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
