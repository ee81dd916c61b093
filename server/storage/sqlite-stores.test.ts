import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteSessionStore } from '../assistant/session-store.ts';
import { createSqliteChecklistStore } from './checklist-store.ts';
import { createSqliteFeedbackStore } from './feedback-store.ts';
import { SqliteHandoffStore } from './sqlite-handoff-store.ts';
import { openSqlite } from './sqlite.ts';
import { describeStoreContract } from './store-contract.ts';

describeStoreContract('SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-stores-'));
  return {
    async open(clock) {
      const db = openSqlite(dir);
      return {
        handoff: new SqliteHandoffStore(db),
        checklists: createSqliteChecklistStore(db),
        feedback: createSqliteFeedbackStore(db),
        sessions: createSqliteSessionStore(db, clock ?? {}),
        async close() {
          db.close();
        },
      };
    },
    async dispose() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteHandoffStore listings', () => {
  it('hands back the same listing until a write changes it, and leaves a listing read earlier as it was', async () => {
    const store = SqliteHandoffStore.open(':memory:');
    try {
      const queued = { states: ['queued'] as const };
      const make = (id: string, at: number) => store.createConversation({ id, sessionId: `s-${id}`, lang: 'zh', skill: 'general', createdAt: at });
      const a = await make('a', 1);
      await make('b', 2);
      await store.transition('a', a.version, { to: 'queued', patch: { queueRank: 1, queuedAt: 3 }, actor: 'bot', reason: 'user-request', at: 3 });
      const first = await store.listConversations(queued);
      expect(first.map((c) => c.id)).toEqual(['a']);
      // a write to a conversation outside the listing leaves it alone
      await store.appendMessage({ conversationId: 'b', sender: 'citizen', text: '你好', createdAt: 4 });
      expect(await store.listConversations(queued)).toBe(first);
      // a write to one in it makes a new listing; the one handed out before stays as it was
      await store.appendMessage({ conversationId: 'a', sender: 'citizen', text: '还要等多久', createdAt: 5 });
      const second = await store.listConversations(queued);
      expect(second).not.toBe(first);
      expect(second.map((c) => c.lastSeq)).toEqual([1]);
      expect(first.map((c) => c.lastSeq)).toEqual([0]);
      expect(Object.isFrozen(second)).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('SqliteHandoffStore records', () => {
  it('reads back every conversation as the database holds it, after every kind of write', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-records-'));
    const store = SqliteHandoffStore.open(dir);
    const fresh = () => {
      const other = SqliteHandoffStore.open(dir); // its own connection and nothing remembered
      return { other, read: (id: string) => other.getConversation(id) };
    };
    try {
      const ids = ['a', 'b'];
      const expectAsStored = async () => {
        const { other, read } = fresh();
        try {
          for (const id of ids) {
            expect(await store.getConversation(id)).toEqual(await read(id));
            expect(await store.getConversationBySession(`s-${id}`)).toEqual(await read(id));
          }
        } finally {
          await other.close();
        }
      };
      const a = await store.createConversation({ id: 'a', sessionId: 's-a', lang: 'zh', skill: 'general', createdAt: 1 });
      await store.createConversation({ id: 'b', sessionId: 's-b', lang: 'zh', skill: 'general', createdAt: 2 });
      await expectAsStored();
      await store.appendMessage({ conversationId: 'a', sender: 'citizen', text: '居住证怎么办', createdAt: 3 });
      await store.appendMessage({ conversationId: 'a', sender: 'bot', text: '……', replyTo: 1, createdAt: 4 });
      await expectAsStored();
      await store.updateConversation('a', { itemId: 'residence-permit-first', lang: undefined }, 5);
      await store.updateConversation('b', { lang: 'en' }, 6);
      await expectAsStored();
      await store.markRead('a', 'citizen', 2);
      await store.markRead('a', 'navigator', 9); // beyond the last message: capped
      await store.markCitizenSocket('a', 7);
      await store.markCitizenSocket('a', 8); // only the first counts
      await expectAsStored();
      const queued = await store.transition('a', (await store.getConversation('a'))!.version, {
        to: 'queued', patch: { queueRank: 5, queuedAt: 9, packet: { reason: 'user-request', summary: '居住证' } as never }, actor: 'bot', reason: 'user-request', at: 9,
      });
      expect(queued?.version).toBe(a.version + 1);
      expect(await store.transition('a', a.version, { to: 'abandoned', actor: 'bot', reason: 'stale', at: 10 })).toBeUndefined();
      await expectAsStored();
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
