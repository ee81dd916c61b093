import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSchema, type TestSchema } from '../../scale/testing/postgres-schema.ts';
import { openPostgres, PostgresHandoffStore, type PgPool } from './index.ts';

// Two stores on two pools stand for two service instances appending to the same conversations at once.
describe('PostgreSQL group-committed appends across instances', () => {
  let schema: TestSchema;
  let pools: PgPool[];
  let a: PostgresHandoffStore;
  let b: PostgresHandoffStore;

  beforeAll(async () => {
    schema = await createTestSchema();
    pools = [openPostgres(schema.url, { max: 4 }), openPostgres(schema.url, { max: 4 })];
    a = await PostgresHandoffStore.open(pools[0]!);
    b = await PostgresHandoffStore.open(pools[1]!);
  });

  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await schema.drop();
  });

  const open = (id: string) => a.createConversation({ id, sessionId: `s-${id}`, lang: 'zh', skill: 'general', createdAt: 1 });

  it('keeps every conversation gap-free and every clientId single when two instances batch into the same conversations', async () => {
    const ids = ['x1', 'x2', 'x3', 'x4'];
    for (const id of ids) await open(id);
    // Each instance sends to the conversations in a different order (lock order must not matter), and both
    // send the same clientIds: each (conversation, clientId) is stored once, whichever instance wins.
    const sends = [];
    for (let round = 0; round < 5; round++) {
      for (let k = 0; k < 10; k++) {
        for (const [store, order] of [[a, ids], [b, [...ids].reverse()]] as const) {
          for (const id of order) {
            sends.push(store.appendMessage({ conversationId: id, sender: 'citizen', clientId: `r${round}k${k}`, text: `${id}-${round}-${k}`, createdAt: 2 }));
          }
        }
      }
      await new Promise((r) => setImmediate(r));
    }
    const results = await Promise.all(sends);
    for (const id of ids) {
      const stored = await a.listMessages(id);
      expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(new Set(stored.map((m) => m.clientId)).size).toBe(50);
      expect((await a.getConversation(id))!.lastSeq).toBe(50);
      // Whatever an append answered is what is stored under that seq.
      for (const r of results.filter((x) => x.message.conversationId === id)) {
        expect(stored[r.message.seq - 1]).toMatchObject({ clientId: r.message.clientId, text: r.message.text });
      }
    }
    expect(results.filter((r) => !r.duplicate)).toHaveLength(200);
  });

  it('answers each append of a batch on its own: a missing conversation fails alone, order within a conversation is kept', async () => {
    await open('y1');
    const [first, missing, second, again] = await Promise.allSettled([
      a.appendMessage({ conversationId: 'y1', sender: 'citizen', clientId: 'one', text: '一', createdAt: 2 }),
      a.appendMessage({ conversationId: 'nope', sender: 'citizen', clientId: 'one', text: '无', createdAt: 2 }),
      a.appendMessage({ conversationId: 'y1', sender: 'bot', text: '二', replyTo: 1, data: { bot: { confidence: 0.5 } }, createdAt: 3 }),
      a.appendMessage({ conversationId: 'y1', sender: 'citizen', clientId: 'one', text: '一', createdAt: 4 }),
    ]);
    expect(first).toMatchObject({ status: 'fulfilled', value: { duplicate: false, message: { seq: 1 } } });
    expect(missing.status).toBe('rejected');
    expect(second).toMatchObject({ status: 'fulfilled', value: { duplicate: false, message: { seq: 2, data: { bot: { confidence: 0.5 } }, replyTo: 1 } } });
    expect(again).toMatchObject({ status: 'fulfilled', value: { duplicate: true, message: { seq: 1, text: '一' } } });
    expect(await a.findReply('y1', 1)).toMatchObject({ seq: 2, sender: 'bot', data: { bot: { confidence: 0.5 } } });
  });
});
