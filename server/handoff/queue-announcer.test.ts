/**
 * Queue announcements to many waiting citizens: each hears their own place, and the facts every citizen of a
 * skill shares (recent handling times, slots) are worked out once per announcement, not once per citizen —
 * a long queue on a busy evening must not make each announcement cost its length in database reads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteHandoffStore } from '../storage/index.ts';
import { OPEN_TIME } from './testing/fixture-kb.ts';
import type { HandoffService } from './service.ts';
import { startTestInstance } from './testing/test-instance.ts';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

describe('QueueAnnouncer', () => {
  it('tells each of 40 waiting citizens their place, reading recent handling times once per skill', async () => {
    const { store, service } = await startService();
    const positions = new Map<string, number>();
    service.events.on('queue-position', (conv, status) => positions.set(conv.id, status.position));
    const ids = await askForPeople(service, 40);
    expect(ids.map((id) => positions.get(id))).toEqual(ids.map((_, i) => i + 1));

    const reads = countHandleTimeReads(store);
    await service.cancelHandoff((await store.getConversation(ids[0]!))!.sessionId);
    await service.settled();
    expect(ids.slice(1).map((id) => positions.get(id))).toEqual(ids.slice(1).map((_, i) => i + 1));
    // the skill's own handling times, then (too few yet) every skill's: two reads, for 39 citizens
    expect(reads()).toBe(2);
  });

  it('works out announcements only for those who can hear them here, and for nobody else', async () => {
    const { store, service } = await startService();
    const ids = await askForPeople(service, 30);
    const heard = { snapshots: 0, positions: new Map<string, number>() };
    service.events.on('queue', () => heard.snapshots++);
    service.events.on('queue-position', (conv, status) => heard.positions.set(conv.id, status.position));
    const reads = countHandleTimeReads(store);
    const cancel = async (id: string) => {
      await service.cancelHandoff((await store.getConversation(id))!.sessionId);
      await service.settled();
    };

    // nobody connected here (the citizens asked over HTTP, no console open): nothing is worked out
    service.setAudience({ navigators: () => false, citizen: () => false });
    await cancel(ids[0]!);
    expect([heard.snapshots, heard.positions.size, reads()]).toEqual([0, 0, 0]);

    // one citizen's socket and a console: the console gets the queue, that citizen (now 9th) their place
    service.setAudience({ navigators: () => true, citizen: (id) => id === ids[10] });
    await cancel(ids[1]!);
    expect(heard.snapshots).toBe(1);
    expect([...heard.positions]).toEqual([[ids[10], 9]]);
  });
});

async function startService() {
  const store = SqliteHandoffStore.open(':memory:');
  open.push(store);
  const { service } = await startTestInstance(store, { now: OPEN_TIME, citizenGraceMs: 60_000 });
  open.unshift(service);
  return { store, service };
}

/** `n` citizens ask for a person, one after another; resolves with their conversations once announced. */
async function askForPeople(service: HandoffService, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const conv = await service.openSession();
    ids.push(conv.id);
    await service.requestHandoff({ sessionId: conv.sessionId, reason: 'user-request', lang: 'zh', confidence: 0, summary: `问题${i}` });
  }
  await service.settled();
  return ids;
}

/** From now on, how many times the store was asked for recent handling times. */
function countHandleTimeReads(store: SqliteHandoffStore): () => number {
  let reads = 0;
  const read = store.recentHandleTimes.bind(store);
  store.recentHandleTimes = (...args) => {
    reads++;
    return read(...args);
  };
  return () => reads;
}
