/**
 * The queue's view: arranged (per skill, in service order) once per change of the waiting conversations, however
 * many times one change asks for it (announcements, routing, the citizen's own status, the console).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteHandoffStore } from '../storage/index.ts';
import type { HandoffContext } from './context.ts';
import type { NavigatorPresence } from './navigator-presence.ts';
import { Queue } from './queue.ts';

const stores: SqliteHandoffStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

describe('Queue.view', () => {
  it('shares its lists while the queue is unchanged, and arranges them again after a change', async () => {
    const store = SqliteHandoffStore.open(':memory:');
    stores.push(store);
    const queue = new Queue({ store } as unknown as HandoffContext, {} as NavigatorPresence);
    const enqueue = async (id: string, rank: number, priority = 0) => {
      const c = await store.createConversation({ id, sessionId: `s-${id}`, lang: 'zh', skill: 'general', createdAt: rank });
      await store.transition(id, c.version, { to: 'queued', patch: { queueRank: rank, queuedAt: rank, priority }, actor: 'bot', reason: 'user-request', at: rank });
    };
    await enqueue('a', 10);
    await enqueue('b', 20);
    const first = await queue.view();
    const again = await queue.view();
    expect(again).not.toBe(first); // each caller gets a view of its own (its slots are read per view)
    expect(again.bySkill.get('general')).toBe(first.bySkill.get('general'));
    await enqueue('c', 30, 1); // a complaint goes first
    const changed = await queue.view();
    expect(changed.bySkill.get('general')?.map((c) => c.id)).toEqual(['c', 'a', 'b']);
    expect(first.bySkill.get('general')?.map((c) => c.id)).toEqual(['a', 'b']);
  });
});
