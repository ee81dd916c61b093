import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqlite } from '../storage/sqlite.ts';
import { createAssistant } from './assistant.ts';
import { loadFixtureKb } from './__fixtures__/kb-fixture.ts';
import { createFixtureRetriever } from './__fixtures__/retriever.ts';
import { createMemorySessionStore, createSqliteSessionStore } from './session-store.ts';

describe('session stores', () => {
  it('memory store forgets idle sessions after the TTL and evicts the least recently used', async () => {
    let now = 1_000;
    const store = createMemorySessionStore({ ttlMs: 100, maxSessions: 2, now: () => now });
    const a = await store.create('zh');
    const b = await store.create('en');
    expect((await store.get(a.id))?.lang).toBe('zh');
    await store.save({ ...a, itemId: 'x' }); // a is now the most recent
    await store.create('zh'); // evicts b
    expect(await store.get(b.id)).toBeUndefined();
    expect((await store.get(a.id))?.itemId).toBe('x');
    now += 101;
    expect(await store.get(a.id)).toBeUndefined();
  });

  it('SQLite store keeps the dialogue context across a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-assistant-'));
    const kb = await loadFixtureKb();
    const retriever = createFixtureRetriever(kb);
    const db1 = openSqlite(dir);
    const first = createAssistant({ kb, retriever, sessions: createSqliteSessionStore(db1) });
    const a = await first.reply({ sessionId: 'sess-1', message: '北京市居住证首次申领要多长时间' });
    expect(a.item?.id).toBe('residence-permit-first');
    db1.close();

    const db2 = openSqlite(dir);
    const second = createAssistant({ kb, retriever, sessions: createSqliteSessionStore(db2) });
    const b = await second.reply({ sessionId: 'sess-1', message: '那在哪里办？' });
    expect(b).toMatchObject({ intent: 'aspect:where', item: { id: 'residence-permit-first' } });
    const row = db2.prepare("SELECT name FROM migrations WHERE name LIKE 'assistant-%'").all();
    expect(row).toEqual([{ name: 'assistant-001-dialogue-sessions' }]);
    db2.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
