/**
 * Queue announcements to many waiting citizens: each hears their own place, and the facts every citizen of a
 * skill shares (recent handling times, slots) are worked out once per announcement, not once per citizen —
 * a long queue on a busy evening must not make each announcement cost its length in database reads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteHandoffStore } from '../storage/index.ts';
import { OPEN_TIME } from './testing/fixture-kb.ts';
import { startTestInstance } from './testing/test-instance.ts';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

describe('QueueAnnouncer', () => {
  it('tells each of 40 waiting citizens their place, reading recent handling times once per skill', async () => {
    const store = SqliteHandoffStore.open(':memory:');
    open.push(store);
    const { service } = await startTestInstance(store, { now: OPEN_TIME, citizenGraceMs: 60_000 });
    open.unshift(service);
    const positions = new Map<string, number>();
    service.events.on('queue-position', (conv, status) => positions.set(conv.id, status.position));
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const conv = await service.openSession();
      ids.push(conv.id);
      await service.requestHandoff({ sessionId: conv.sessionId, reason: 'user-request', lang: 'zh', confidence: 0, summary: `问题${i}` });
    }
    await service.settled();
    expect(ids.map((id) => positions.get(id))).toEqual(ids.map((_, i) => i + 1));

    let reads = 0;
    const read = store.recentHandleTimes.bind(store);
    store.recentHandleTimes = (...args) => {
      reads++;
      return read(...args);
    };
    await service.cancelHandoff((await store.getConversation(ids[0]!))!.sessionId);
    await service.settled();
    expect(ids.slice(1).map((id) => positions.get(id))).toEqual(ids.slice(1).map((_, i) => i + 1));
    // the skill's own handling times, then (too few yet) every skill's: two reads, for 39 citizens
    expect(reads).toBe(2);
  });
});
