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
