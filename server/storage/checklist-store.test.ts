import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NewChecklistSnapshot } from '../guides/types.ts';
import { createSqliteChecklistStore, isChecklistId } from './checklist-store.ts';
import { openSqlite } from './sqlite.ts';

const checklist = (lang: 'zh' | 'en') => ({
  lang,
  item: { id: 'permit', title: { text: '居住证' }, summary: { text: '……' }, updatedAt: '2026-09-15', sourceUrl: 'https://example.gov.cn/x' },
  answers: [],
  materials: [],
  eligibility: [],
  process: [],
  locations: [],
  online: { level: '全程网办' },
  timeLimit: { text: '即办。' },
  fees: { text: '不收费。' },
  legalBasis: [],
  citation: '依据：……',
});
const snapshot: NewChecklistSnapshot = {
  itemId: 'permit', itemUpdatedAt: '2026-09-15', kbHash: 'abc', answers: { 'by-proxy': 'proxy' }, lang: 'zh',
  checklists: { zh: checklist('zh'), en: checklist('en') },
};

describe('SQLite checklist store', () => {
  it('keeps saved snapshots across reopening the database', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daoban-checklists-'));
    let db = openSqlite(dir);
    const saved = await createSqliteChecklistStore(db, () => new Date('2026-09-20T08:00:00Z')).save(snapshot);
    expect(saved).toEqual({ ...snapshot, id: saved.id, createdAt: '2026-09-20T08:00:00.000Z' });
    db.close();
    db = openSqlite(dir);
    const store = createSqliteChecklistStore(db);
    expect(await store.get(saved.id)).toEqual(saved);
    db.close();
  });

  it('issues unguessable, distinct ids and knows nothing of other ids', async () => {
    const db = openSqlite(':memory:');
    const store = createSqliteChecklistStore(db);
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) ids.add((await store.save(snapshot)).id);
    expect(ids.size).toBe(50);
    for (const id of ids) expect(isChecklistId(id)).toBe(true);
    expect(await store.get('AAAAAAAAAAAAAAAAAAAAAA')).toBeUndefined();
    expect(await store.get("1' OR '1'='1")).toBeUndefined();
    expect(await store.get('')).toBeUndefined();
    db.close();
  });
});
