import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteHandoffStore } from './sqlite-handoff-store.ts';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-store-'));
}

describe('SqliteHandoffStore', () => {
  it('numbers messages per conversation and stores a repeated clientId once', async () => {
    const store = SqliteHandoffStore.open(':memory:');
    await store.createConversation({ id: 'c1', sessionId: 's1', lang: 'zh', skill: 'general', createdAt: 1 });
    await store.createConversation({ id: 'c2', sessionId: 's2', lang: 'zh', skill: 'general', createdAt: 1 });
    const a = await store.appendMessage({ conversationId: 'c1', sender: 'citizen', clientId: 'x', text: '你好', createdAt: 2 });
    const b = await store.appendMessage({ conversationId: 'c1', sender: 'citizen', clientId: 'x', text: '你好', createdAt: 3 });
    const c = await store.appendMessage({ conversationId: 'c1', sender: 'bot', text: '您好', replyTo: 1, createdAt: 4 });
    const d = await store.appendMessage({ conversationId: 'c2', sender: 'citizen', clientId: 'x', text: '在吗', createdAt: 5 });
    expect([a.message.seq, b.message.seq, c.message.seq, d.message.seq]).toEqual([1, 1, 2, 1]);
    expect(b.duplicate).toBe(true);
    expect((await store.listMessages('c1')).map((m) => m.text)).toEqual(['你好', '您好']);
    expect((await store.findReply('c1', 1))?.seq).toBe(2);
    expect((await store.getConversation('c1'))?.lastSeq).toBe(2);
  });

  it('group-commits concurrent appends in arrival order, without gaps, one row per clientId', async () => {
    const store = SqliteHandoffStore.open(':memory:');
    await store.createConversation({ id: 'c1', sessionId: 's1', lang: 'zh', skill: 'general', createdAt: 1 });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => store.appendMessage({ conversationId: 'c1', sender: 'citizen', clientId: `k${i % 40}`, text: `m${i % 40}`, createdAt: 2 })),
    );
    expect(results.slice(0, 40).map((r) => r.message.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(results.slice(40).every((r, i) => r.duplicate && r.message.seq === i + 1)).toBe(true);
    expect((await store.listMessages('c1')).map((m) => m.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    await expect(store.appendMessage({ conversationId: 'missing', sender: 'citizen', text: 'x', createdAt: 3 })).rejects.toThrow(/does not exist/);
  });

  it('transitions are compare-and-set and append one event each', async () => {
    const store = SqliteHandoffStore.open(':memory:');
    const c = await store.createConversation({ id: 'c1', sessionId: 's1', lang: 'zh', skill: 'general', createdAt: 1 });
    const queued = await store.transition('c1', c.version, { to: 'queued', patch: { queueRank: 10, queuedAt: 10 }, actor: 'bot', reason: 'user-request', at: 10 });
    expect(queued?.state).toBe('queued');
    const results = await Promise.all(
      ['n1', 'n2', 'n3'].map((n) => store.transition('c1', queued!.version, { to: 'with-navigator', patch: { navigatorId: n }, actor: `navigator:${n}`, reason: 'accepted', at: 11 })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const events = await store.listEvents('c1');
    expect(events.map((e) => `${e.from}->${e.to}`)).toEqual(['bot->queued', 'queued->with-navigator']);
    expect(events[1]?.actor).toMatch(/^navigator:n[123]$/);
  });

  it('issues sequential ticket references and claims a ticket once', async () => {
    const dir = tempDir();
    let store = SqliteHandoffStore.open(dir);
    const at = Date.UTC(2025, 0, 6, 14, 0);
    const base = { conversationId: null, name: '张三', phone: '13800000000', email: null, question: '居住证', departmentId: 'bj-psb', skill: 'public-security', summary: null, createdAt: at };
    const t1 = await store.createTicket({ ...base, id: 't1' });
    const t2 = await store.createTicket({ ...base, id: 't2' });
    expect([t1.ref, t2.ref]).toEqual(['LY20250106-0001', 'LY20250106-0002']);
    expect(await store.claimTicket('t1', 'n1', at)).toMatchObject({ status: 'claimed', claimedBy: 'n1' });
    expect(await store.claimTicket('t1', 'n2', at)).toBeUndefined();
    await store.close();
    store = SqliteHandoffStore.open(dir);
    expect((await store.listTickets({ status: 'claimed' })).map((t) => t.id)).toEqual(['t1']);
    expect((await store.closeTicket('t1', '已回电', at))?.status).toBe('closed');
    await store.close();
  });

  it('keeps read marks monotonic and within the transcript', async () => {
    const store = SqliteHandoffStore.open(':memory:');
    await store.createConversation({ id: 'c1', sessionId: 's1', lang: 'zh', skill: 'general', createdAt: 1 });
    for (let i = 0; i < 3; i++) await store.appendMessage({ conversationId: 'c1', sender: 'citizen', text: `m${i}`, createdAt: 2 });
    expect(await store.markRead('c1', 'navigator', 2)).toBe(2);
    expect(await store.markRead('c1', 'navigator', 1)).toBe(2);
    expect(await store.markRead('c1', 'navigator', 99)).toBe(3);
  });
});
